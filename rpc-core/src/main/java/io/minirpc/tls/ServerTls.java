package io.minirpc.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS settings of a server: its certificate chain and private key, and, for mutual TLS, the CAs
 * whose client certificates it accepts. Given to {@code RpcServer.builder().tls(..)}, they apply to
 * the minirpc port and to the REST bridge's port alike.
 *
 * <pre>{@code
 * ServerTls tls = ServerTls.builder()
 *     .keyCertChain(Path.of("server.pem"), Path.of("server.key"))
 *     .trustCertificates(Path.of("clients-ca.pem"))   // only for mutual TLS
 *     .clientAuth(ClientAuth.REQUIRE)
 *     .build();
 * RpcServer server = RpcServer.builder().tls(tls).addService(impl).build().start();
 * }</pre>
 *
 * <p>Connections use TLS 1.3 or 1.2, nothing older, on the JDK's provider unless {@link
 * Builder#provider} says otherwise, and must finish their handshake within the handshake timeout
 * (10 seconds by default). PEM files are read when they are given to the builder; the settings are
 * checked, and the TLS context built, by {@link Builder#build()}. A Netty {@link SslContext} made
 * elsewhere is used as it is with {@link #of(SslContext)}.
 */
public final class ServerTls {

  private final SslContext context;
  private final Duration handshakeTimeout;

  private ServerTls(SslContext context, Duration handshakeTimeout) {
    this.context = context;
    this.handshakeTimeout = handshakeTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Settings that use a server context built elsewhere, as it is (its provider, protocols, client
   * authentication), with a handshake timeout of 10 seconds.
   *
   * @throws IllegalArgumentException if the context is a client's
   */
  public static ServerTls of(SslContext serverContext) {
    Objects.requireNonNull(serverContext, "serverContext");
    if (!serverContext.isServer()) {
      throw new IllegalArgumentException(
          "ServerTls.of(..) needs a server context (SslContextBuilder.forServer(..)), not a"
              + " client's");
    }
    return new ServerTls(serverContext, Contexts.DEFAULT_HANDSHAKE_TIMEOUT);
  }

  /** How long a connection may take to finish its handshake before it is closed. */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /** The TLS implementation in use. */
  public TlsProvider provider() {
    return TlsProvider.of(context);
  }

  /**
   * The Netty context built from these settings, for the server's pipelines (and for a Netty server
   * of one's own that should present the same certificate).
   */
  public SslContext sslContext() {
    return context;
  }

  @Override
  public String toString() {
    return "ServerTls{provider=" + provider() + ", handshakeTimeout=" + handshakeTimeout + "}";
  }

  /** Configures a {@link ServerTls}. */
  public static final class Builder {
    private KeyMaterial key;
    private String keyPassword;
    private TrustMaterial trust;
    private ClientAuth clientAuth = ClientAuth.NONE;
    private Duration handshakeTimeout = Contexts.DEFAULT_HANDSHAKE_TIMEOUT;
    private TlsProvider provider = TlsProvider.JDK;

    private Builder() {}

    /**
     * The server's certificate chain (its own certificate first, then the intermediates) and its
     * private key (PKCS#8), both PEM files, read now.
     *
     * @throws IllegalArgumentException if a file cannot be read
     */
    public Builder keyCertChain(Path certificateChainPem, Path privateKeyPem) {
      return key(KeyMaterial.pem(certificateChainPem, privateKeyPem));
    }

    /**
     * The server's certificate chain and private key (PKCS#8) as PEM, read now; the streams are
     * left open.
     */
    public Builder keyCertChain(InputStream certificateChainPem, InputStream privateKeyPem) {
      return key(KeyMaterial.pem(certificateChainPem, privateKeyPem));
    }

    /** The server's certificate and key, from a key store, say. */
    public Builder keyManager(KeyManagerFactory keyManagerFactory) {
      return key(KeyMaterial.factory(Objects.requireNonNull(keyManagerFactory, "keyManager")));
    }

    private Builder key(KeyMaterial material) {
      if (key != null) {
        throw new IllegalArgumentException(
            "the server's key is given twice: give either keyCertChain(..) or keyManager(..), once");
      }
      this.key = material;
      return this;
    }

    /** The password of an encrypted PEM private key. */
    public Builder keyPassword(String keyPassword) {
      this.keyPassword = Objects.requireNonNull(keyPassword, "keyPassword");
      return this;
    }

    /**
     * The certificates (PEM, read now) of the CAs whose client certificates the server accepts;
     * what {@link #clientAuth} checks against.
     */
    public Builder trustCertificates(Path caCertificatesPem) {
      return trust(TrustMaterial.pem(caCertificatesPem));
    }

    /** The certificates (PEM, read now) of the CAs whose client certificates are accepted. */
    public Builder trustCertificates(InputStream caCertificatesPem) {
      return trust(TrustMaterial.pem(caCertificatesPem));
    }

    /** Decides which client certificates are accepted, instead of {@link #trustCertificates}. */
    public Builder trustManager(TrustManagerFactory trustManagerFactory) {
      return trust(
          TrustMaterial.factory(Objects.requireNonNull(trustManagerFactory, "trustManager")));
    }

    private Builder trust(TrustMaterial material) {
      if (trust != null) {
        throw new IllegalArgumentException(
            "the trusted CAs are given twice: give either trustCertificates(..) or"
                + " trustManager(..), once");
      }
      this.trust = material;
      return this;
    }

    /**
     * Mutual TLS: whether clients must ({@link ClientAuth#REQUIRE}) or may ({@link
     * ClientAuth#OPTIONAL}) present a certificate signed by one of the trusted CAs ({@link
     * #trustCertificates} or {@link #trustManager}); a refused client's connection is closed before
     * any of its requests is read. {@link ClientAuth#NONE} when not set.
     */
    public Builder clientAuth(ClientAuth clientAuth) {
      this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
      return this;
    }

    /** How long a connection may take to finish its handshake; 10 seconds when not set. */
    public Builder handshakeTimeout(Duration handshakeTimeout) {
      this.handshakeTimeout = Contexts.positive(handshakeTimeout, "handshakeTimeout");
      return this;
    }

    /**
     * The TLS implementation; the JDK's when not set. {@link TlsProvider#OPENSSL} needs
     * netty-tcnative-boringssl-static for this platform on the class path.
     */
    public Builder provider(TlsProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * The settings, checked, with the TLS context built.
     *
     * @throws IllegalArgumentException if no key was given, client certificates are asked for
     *     without trusted CAs, the key or a certificate cannot be used, or the provider is not
     *     available
     */
    public ServerTls build() {
      if (key == null) {
        throw new IllegalArgumentException(
            "give the server's certificate chain and private key: keyCertChain(..) or"
                + " keyManager(..)");
      }
      if (clientAuth != ClientAuth.NONE && trust == null) {
        throw new IllegalArgumentException(
            "clientAuth("
                + clientAuth
                + ") needs the CAs that sign client certificates: trustCertificates(..) or"
                + " trustManager(..)");
      }
      SslContext context =
          Contexts.build(
              () -> {
                SslContextBuilder b = key.forServer(keyPassword);
                if (trust != null) {
                  trust.addTo(b);
                }
                return b.clientAuth(io.netty.handler.ssl.ClientAuth.valueOf(clientAuth.name()));
              },
              provider,
              "the server (" + key.source() + (trust == null ? "" : ", " + trust.source()) + ")");
      return new ServerTls(context, handshakeTimeout);
    }
  }
}
