package io.minirpc.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.minirpc.testing.TestCertificates;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS settings are checked when they are built, with messages that say what to fix. */
class TlsSettingsTest {

  @TempDir static Path dir;
  private static TestCertificates pki;

  @BeforeAll
  static void certificates() {
    pki = TestCertificates.createIn(dir);
  }

  @Test
  void serverWithoutAKeyFailsAtBuild() {
    assertThatThrownBy(() -> ServerTls.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "give the server's certificate chain and private key: keyCertChain(..) or"
                + " keyManager(..)");
  }

  @Test
  void clientAuthWithoutTrustedCasFailsAtBuild() {
    assertThatThrownBy(
            () ->
                ServerTls.builder()
                    .keyCertChain(pki.serverCertificate(), pki.serverKey())
                    .clientAuth(ClientAuth.REQUIRE)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "clientAuth(REQUIRE) needs the CAs that sign client certificates:"
                + " trustCertificates(..) or trustManager(..)");
  }

  @Test
  void missingFileFailsWhenGiven() {
    Path missing = dir.resolve("missing.pem");

    assertThatThrownBy(() -> ClientTls.builder().trustCertificates(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot read the trusted certificates "
                + missing
                + ": java.nio.file.NoSuchFileException: "
                + missing);
  }

  @Test
  void keyThatIsNotPemFailsAtBuild() throws Exception {
    Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello");

    assertThatThrownBy(
            () -> ServerTls.builder().keyCertChain(pki.serverCertificate(), notAKey).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "cannot set up TLS for the server (certificate chain "
                + pki.serverCertificate()
                + " and private key "
                + notAKey
                + "): ");
  }

  @Test
  void keyGivenTwiceFails() {
    ServerTls.Builder builder =
        ServerTls.builder().keyCertChain(pki.serverCertificate(), pki.serverKey());

    assertThatThrownBy(() -> builder.keyCertChain(pki.clientCertificate(), pki.clientKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the server's key is given twice: give either keyCertChain(..) or keyManager(..),"
                + " once");
  }

  @Test
  void handshakeTimeoutMustBePositive() {
    assertThatThrownBy(() -> ClientTls.builder().handshakeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("handshakeTimeout must be positive: PT0S");
  }

  @Test
  void blankServerNameFails() {
    assertThatThrownBy(() -> ClientTls.builder().serverName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serverName must not be blank");
  }

  @Test
  void defaultsAreHostnameVerificationAndATenSecondHandshake() {
    ClientTls client = ClientTls.builder().build();
    ServerTls server =
        ServerTls.builder().keyCertChain(pki.serverCertificate(), pki.serverKey()).build();

    assertThat(client.serverName()).isEmpty();
    assertThat(client.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(server.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(client.sslContext().isClient()).isTrue();
    assertThat(client.provider()).isEqualTo(TlsProvider.JDK);
  }

  @Test
  void streamsAndTrustManagerFactoriesAreAccepted() throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream ca = Files.newInputStream(pki.caCertificate())) {
      trusted.setCertificateEntry(
          "ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(ca));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);

    try (InputStream chain = Files.newInputStream(pki.serverCertificate());
        InputStream key = Files.newInputStream(pki.serverKey())) {
      ServerTls server =
          ServerTls.builder()
              .keyCertChain(chain, key)
              .trustManager(tmf)
              .clientAuth(ClientAuth.REQUIRE)
              .build();
      assertThat(server.sslContext().isServer()).isTrue();
    }
  }

  @Test
  void contextsMadeElsewhereAreUsedAsTheyAre() throws Exception {
    SslContext serverContext =
        SslContextBuilder.forServer(pki.serverCertificate().toFile(), pki.serverKey().toFile())
            .build();
    SslContext clientContext =
        SslContextBuilder.forClient().trustManager(pki.caCertificate().toFile()).build();

    assertThat(ServerTls.of(serverContext).sslContext()).isSameAs(serverContext);
    assertThat(ClientTls.of(clientContext).sslContext()).isSameAs(clientContext);
    assertThat(ClientTls.of(clientContext).handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void contextOfTheWrongSideFails() throws Exception {
    SslContext clientContext = SslContextBuilder.forClient().build();

    assertThatThrownBy(() -> ServerTls.of(clientContext))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ServerTls.of(..) needs a server context (SslContextBuilder.forServer(..)), not a"
                + " client's");
  }

  @Test
  void openSslWhereItCannotLoadFailsAtBuildNamingTheArtifact() {
    assumeFalse(TlsProvider.OPENSSL.isAvailable());

    assertThatThrownBy(() -> ClientTls.builder().provider(TlsProvider.OPENSSL).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add io.netty:netty-tcnative-boringssl-static");
  }
}
