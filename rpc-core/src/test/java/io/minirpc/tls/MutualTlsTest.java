package io.minirpc.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.TestCertificates;
import io.minirpc.testing.logging.LogCapture;
import io.minirpc.testing.logging.LoggedEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.event.Level;

/**
 * A server that requires client certificates serves clients whose certificate its trusted CA
 * signed, and refuses, before any call runs, clients without a certificate or with one from another
 * CA; each refusal is logged once by the server, at WARN, never as an error.
 */
class MutualTlsTest {

  @TempDir static Path dir;
  private static TestCertificates pki;

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void certificates() {
    pki = TestCertificates.createIn(dir);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private RpcServer server(TlsProvider provider) {
    return server(provider, ClientAuth.REQUIRE);
  }

  private RpcServer server(TlsProvider provider, ClientAuth clientAuth) {
    ServerTls tls =
        ServerTls.builder()
            .keyCertChain(pki.serverCertificate(), pki.serverKey())
            .trustCertificates(pki.caCertificate())
            .clientAuth(clientAuth)
            .provider(provider)
            .build();
    RpcServer server =
        RpcServer.builder().host("127.0.0.1").tls(tls).addService(impl).build().start();
    open.add(server);
    return server;
  }

  private CallsService client(RpcServer server, ClientTls tls) {
    RpcClient client =
        RpcClient.builder()
            .addresses("127.0.0.1:" + server.port())
            .timeout(Duration.ofSeconds(5))
            .tls(tls)
            .build();
    open.add(client);
    return client.stub(CallsService.class);
  }

  private static ClientTls.Builder clientTls(TlsProvider provider) {
    return ClientTls.builder().trustCertificates(pki.caCertificate()).provider(provider);
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientWithACertificateOfTheTrustedCaIsServed(TlsProvider provider) throws Exception {
    TlsTest.assumeAvailable(provider);
    RpcServer server = server(provider);
    CallsService calls =
        client(
            server,
            clientTls(provider).keyCertChain(pki.clientCertificate(), pki.clientKey()).build());

    assertThat(calls.echo("mutual")).isEqualTo("mutual");
    assertThat(calls.echoAsync("async").get(5, TimeUnit.SECONDS)).isEqualTo("async");
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientWithoutACertificateIsRefused(TlsProvider provider) {
    TlsTest.assumeAvailable(provider);
    try (LogCapture logs = LogCapture.start(Level.DEBUG)) {
      RpcServer server = server(provider);
      CallsService calls = client(server, clientTls(provider).build());

      RpcException e = catchThrowableOfType(RpcException.class, () -> calls.echo("anonymous"));

      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertRefusedByTheServer(e, server, provider);
      assertThat(impl.executions("echo")).isZero();
      assertRefusalLoggedOnce(
          logs, "the client sent no certificate signed by a CA this server trusts");
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientWithACertificateOfAnotherCaIsRefused(TlsProvider provider) {
    TlsTest.assumeAvailable(provider);
    try (LogCapture logs = LogCapture.start(Level.DEBUG)) {
      RpcServer server = server(provider);
      CallsService calls =
          client(
              server,
              clientTls(provider)
                  .keyCertChain(pki.untrustedClientCertificate(), pki.untrustedClientKey())
                  .build());

      RpcException e = catchThrowableOfType(RpcException.class, () -> calls.echo("stranger"));

      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      // A client presents only a certificate of a CA the server names as trusted: none here.
      assertRefusedByTheServer(e, server, provider);
      assertThat(impl.executions("echo")).isZero();
      assertRefusalLoggedOnce(
          logs, "the client sent no certificate signed by a CA this server trusts");
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void optionalClientAuthServesClientsWithAndWithoutACertificate(TlsProvider provider) {
    TlsTest.assumeAvailable(provider);
    RpcServer server = server(provider, ClientAuth.OPTIONAL);

    CallsService anonymous = client(server, clientTls(provider).build());
    CallsService known =
        client(
            server,
            clientTls(provider).keyCertChain(pki.clientCertificate(), pki.clientKey()).build());

    assertThat(anonymous.echo("anonymous")).isEqualTo("anonymous");
    assertThat(known.echo("known")).isEqualTo("known");
  }

  /**
   * Under TLS 1.3 the client has finished its handshake, and sent its call, when the server's
   * refusal arrives; BoringSSL says why, the JDK only that it refused.
   */
  private static void assertRefusedByTheServer(
      RpcException e, RpcServer server, TlsProvider provider) {
    String reason =
        provider == TlsProvider.OPENSSL
            ? "the server requires a client certificate signed by a CA it trusts, and the"
                + " client sent none ("
            : "the server refused the client's certificate, or its lack of one"
                + " (javax.net.ssl.SSLHandshakeException: Received fatal alert:"
                + " bad_certificate))";
    // With TLS 1.3 the server checks the client's certificate after the client has finished its
    // side of the handshake: its refusal may arrive before the request is written, or after.
    String connection = "connection to 127.0.0.1:" + server.port() + " closed before the ";
    assertThat(e.status().description())
        .satisfiesAnyOf(
            d -> assertThat(d).startsWith(connection + "answer arrived (TLS failed: " + reason),
            d -> assertThat(d).startsWith(connection + "request was sent (TLS failed: " + reason));
  }

  /** The client may see the server's alert before the server has logged why it sent it. */
  private static void assertRefusalLoggedOnce(LogCapture logs, String reason) {
    Await.until(Duration.ofSeconds(5), "the refusal logged", () -> !refusals(logs).isEmpty());
    List<LoggedEvent> refusals = refusals(logs);
    assertThat(refusals).hasSize(1);
    assertThat(refusals.get(0).message()).contains(reason);
    assertThat(logs.events(Level.ERROR)).isEmpty();
  }

  private static List<LoggedEvent> refusals(LogCapture logs) {
    return logs.events(Level.WARN).stream()
        .filter(e -> e.logger().endsWith("ServerTlsFailureHandler"))
        .toList();
  }
}
