package io.minirpc.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS settings of a client: the CAs it trusts to sign servers' certificates, the name it
 * expects a server's certificate to carry, and, for mutual TLS, its own certificate and key.
 *
 * <pre>{@code
 * ClientTls tls = ClientTls.builder()
 *     .trustCertificates(Path.of("ca.pem"))                          // else the JDK's CAs
 *     .keyCertChain(Path.of("client.pem"), Path.of("client.key"))    // only for mutual TLS
 *     .build();
 * RpcClient client = RpcClient.builder().tls(tls).addresses("10.0.0.7:7070").build();
 * }</pre>
 *
 * <p>Hostname verification is on: a server's certificate must name the host the client connects to
 * (a DNS name, or an IP address in its subject alternative names), or the {@link
 * Builder#serverName(String) server name} set here. A connection whose handshake fails is never
 * used: its calls fail with UNAVAILABLE and a message that names the cause. Connections use TLS 1.3
 * or 1.2, on the JDK's provider unless {@link Builder#provider} says otherwise, and must finish
 * their handshake within the handshake timeout (10 seconds by default). A Netty {@link SslContext}
 * made elsewhere is used as it is with {@link #of(SslContext)}.
 */
public final class ClientTls {

  private final SslContext context;
  private final String serverName;
  private final Duration handshakeTimeout;

  private ClientTls(SslContext context, String serverName, Duration handshakeTimeout) {
    this.context = context;
    this.serverName = serverName;
    this.handshakeTimeout = handshakeTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Settings that use a client context built elsewhere, as it is (its provider, protocols, trusted
   * CAs, key, and hostname verification, which Netty's {@code SslContextBuilder.forClient()} turns
   * on by default), with a handshake timeout of 10 seconds.
   *
   * @throws IllegalArgumentException if the context is a server's
   */
  public static ClientTls of(SslContext clientContext) {
    Objects.requireNonNull(clientContext, "clientContext");
    if (!clientContext.isClient()) {
      throw new IllegalArgumentException(
          "ClientTls.of(..) needs a client context (SslContextBuilder.forClient()), not a"
              + " server's");
    }
    return new ClientTls(clientContext, null, Contexts.DEFAULT_HANDSHAKE_TIMEOUT);
  }

  /**
   * The name every server's certificate must carry, also sent as SNI; when empty, each server's own
   * host, as the client connects to it.
   */
  public Optional<String> serverName() {
    return Optional.ofNullable(serverName);
  }

  /** How long a connection may take to finish its handshake before it is given up. */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /** The TLS implementation in use. */
  public TlsProvider provider() {
    return TlsProvider.of(context);
  }

  /** The Netty context built from these settings, for the client's pipelines. */
  public SslContext sslContext() {
    return context;
  }

  @Override
  public String toString() {
    return "ClientTls{provider="
        + provider()
        + ", serverName="
        + serverName
        + ", handshakeTimeout="
        + handshakeTimeout
        + "}";
  }

  /** Configures a {@link ClientTls}. */
  public static final class Builder {
    private KeyMaterial key;
    private String keyPassword;
    private TrustMaterial trust;
    private String serverName;
    private boolean hostnameVerification = true;
    private Duration handshakeTimeout = Contexts.DEFAULT_HANDSHAKE_TIMEOUT;
    private TlsProvider provider = TlsProvider.JDK;

    private Builder() {}

    /**
     * The certificates (PEM, read now) of the CAs the client trusts to sign servers' certificates;
     * the JDK's default CAs when neither this nor {@link #trustManager} is set.
     *
     * @throws IllegalArgumentException if the file cannot be read
     */
    public Builder trustCertificates(Path caCertificatesPem) {
      return trust(TrustMaterial.pem(caCertificatesPem));
    }

    /** The certificates (PEM, read now) of the CAs that sign servers' certificates. */
    public Builder trustCertificates(InputStream caCertificatesPem) {
      return trust(TrustMaterial.pem(caCertificatesPem));
    }

    /** Decides which server certificates are trusted, instead of {@link #trustCertificates}. */
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
     * The client's own certificate chain and private key (PKCS#8), PEM files read now, which it
     * presents to servers that require client authentication.
     */
    public Builder keyCertChain(Path certificateChainPem, Path privateKeyPem) {
      return key(KeyMaterial.pem(certificateChainPem, privateKeyPem));
    }

    /** The client's certificate chain and private key (PKCS#8) as PEM, read now. */
    public Builder keyCertChain(InputStream certificateChainPem, InputStream privateKeyPem) {
      return key(KeyMaterial.pem(certificateChainPem, privateKeyPem));
    }

    /** The client's certificate and key, from a key store, say. */
    public Builder keyManager(KeyManagerFactory keyManagerFactory) {
      return key(KeyMaterial.factory(Objects.requireNonNull(keyManagerFactory, "keyManager")));
    }

    private Builder key(KeyMaterial material) {
      if (key != null) {
        throw new IllegalArgumentException(
            "the client's key is given twice: give either keyCertChain(..) or keyManager(..), once");
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
     * The name every server's certificate must carry, instead of the host the client connects to:
     * for servers reached by an address their certificate does not name (an IP address from a
     * registry, say). Also sent as SNI.
     */
    public Builder serverName(String serverName) {
      Objects.requireNonNull(serverName, "serverName");
      if (serverName.isBlank()) {
        throw new IllegalArgumentException("serverName must not be blank");
      }
      this.serverName = serverName;
      return this;
    }

    /**
     * Whether a server's certificate must name the server; on when not set. Turning it off lets
     * anyone with a certificate from a trusted CA pose as any server: do it only where the trusted
     * CA signs nothing but these servers' certificates.
     */
    public Builder hostnameVerification(boolean hostnameVerification) {
      this.hostnameVerification = hostnameVerification;
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
     * @throws IllegalArgumentException if the key or a certificate cannot be used, or the provider
     *     is not available
     */
    public ClientTls build() {
      SslContext context =
          Contexts.build(
              () -> {
                SslContextBuilder b =
                    SslContextBuilder.forClient()
                        .endpointIdentificationAlgorithm(hostnameVerification ? "HTTPS" : null);
                if (trust != null) {
                  trust.addTo(b);
                }
                if (key != null) {
                  key.addTo(b, keyPassword);
                }
                return b;
              },
              provider,
              "the client"
                  + (key == null && trust == null
                      ? ""
                      : " ("
                          + (key == null ? "" : key.source())
                          + (key != null && trust != null ? ", " : "")
                          + (trust == null ? "" : trust.source())
                          + ")"));
      return new ClientTls(context, serverName, handshakeTimeout);
    }
  }
}
