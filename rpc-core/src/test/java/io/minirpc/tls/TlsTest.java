package io.minirpc.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.RawConnection;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.event.Level;

/**
 * The minirpc port over TLS, with real certificates made for the test and real sockets: calls go
 * through over TLS with either provider; plain clients, clients that do not trust the server and
 * servers that do not carry the expected name are refused before any call runs.
 */
class TlsTest {

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

  private static ServerTls.Builder serverTls() {
    return ServerTls.builder().keyCertChain(pki.serverCertificate(), pki.serverKey());
  }

  private static ClientTls.Builder clientTls() {
    return ClientTls.builder().trustCertificates(pki.caCertificate());
  }

  private RpcServer server(ServerTls tls) {
    RpcServer server =
        RpcServer.builder().host("127.0.0.1").tls(tls).addService(impl).build().start();
    open.add(server);
    return server;
  }

  private CallsService client(String host, RpcServer server, ClientTls tls) {
    RpcClient.Builder builder =
        RpcClient.builder().addresses(host + ":" + server.port()).timeout(Duration.ofSeconds(5));
    if (tls != null) {
      builder.tls(tls);
    }
    RpcClient client = builder.build();
    open.add(client);
    return client.stub(CallsService.class);
  }

  private static RpcException callFails(CallsService calls) {
    return catchThrowableOfType(RpcException.class, () -> calls.echo("hi"));
  }

  /** The call failed before it ran: the client refused the server in the TLS handshake. */
  private void assertRefusedInTheHandshake(
      RpcException e, String host, RpcServer server, String reason) {
    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.status().description())
        .startsWith("TLS handshake with " + host + ":" + server.port() + " failed: " + reason);
    assertThat(impl.executions("echo")).isZero();
  }

  static void assumeAvailable(TlsProvider provider) {
    assumeTrue(provider.isAvailable(), "netty-tcnative does not load here");
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void tlsClientMakesSyncAndAsyncCalls(TlsProvider provider) throws Exception {
    assumeAvailable(provider);
    ServerTls serverTls = serverTls().provider(provider).build();
    ClientTls clientTls = clientTls().provider(provider).build();
    assertThat(serverTls.provider()).isEqualTo(provider);
    RpcServer server = server(serverTls);
    CallsService calls = client("127.0.0.1", server, clientTls);

    assertThat(calls.echo("over TLS")).isEqualTo("over TLS");
    assertThat(calls.echoAsync("async").get(5, TimeUnit.SECONDS)).isEqualTo("async");
    assertThat(calls.sized(200_000)).hasSize(200_000);
  }

  @Test
  void certificateIsVerifiedAgainstTheHostNameToo() {
    RpcServer server = server(serverTls().build());

    assertThat(client("localhost", server, clientTls().build()).echo("by name"))
        .isEqualTo("by name");
    assertThat(client("127.0.0.1", server, clientTls().serverName("localhost").build()).echo("sni"))
        .isEqualTo("sni");
  }

  @Test
  void jdkIsTheDefaultProvider() {
    assertThat(serverTls().build().provider()).isEqualTo(TlsProvider.JDK);
    assertThat(clientTls().build().provider()).isEqualTo(TlsProvider.JDK);
  }

  @Test
  void openSslLoadsWhereTheTestsRunOnLinux() {
    // The tests bring BoringSSL for Linux on x86_64 and aarch64: both providers are tested there.
    assumeTrue(System.getProperty("os.name").startsWith("Linux"));

    assertThat(TlsProvider.OPENSSL.isAvailable()).isTrue();
  }

  @Test
  void plainClientIsToldTheServerWantsTlsAndTheServerLogsOneLine() {
    try (LogCapture logs = LogCapture.start(Level.DEBUG)) {
      RpcServer server = server(serverTls().build());
      CallsService plain = client("127.0.0.1", server, null);

      RpcException e = callFails(plain);

      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.status().description())
          .isEqualTo(
              "the server accepts TLS connections only: give the client RpcClient.Builder.tls(..)");
      assertThat(impl.executions("echo")).isZero();
      Await.until(
          Duration.ofSeconds(5),
          "the refusal logged",
          () -> !serverLogs(logs, Level.WARN).isEmpty());
      assertThat(serverLogs(logs, Level.WARN))
          .singleElement()
          .extracting(LoggedEvent::message)
          .asString()
          .startsWith("TLS handshake with /127.0.0.1:")
          .endsWith("failed, closing the connection: the client does not speak TLS");
      assertThat(logs.events(Level.INFO))
          .filteredOn(event -> event.logger().startsWith("io.minirpc.server"))
          .isEmpty();
      assertThat(logs.events(Level.ERROR)).isEmpty();
    }
  }

  @Test
  void rawBytesThatAreNotTlsAreClosedWithoutAnAnswer() throws Exception {
    RpcServer server = server(serverTls().build());

    try (RawConnection raw = new RawConnection(server.port(), Duration.ofSeconds(5))) {
      raw.write(new byte[32]);
      assertThat(raw.isClosedByPeer()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientThatDoesNotTrustTheServersCaIsRefused(TlsProvider provider) {
    assumeAvailable(provider);
    try (LogCapture logs = LogCapture.start(Level.DEBUG)) {
      RpcServer server = server(serverTls().provider(provider).build());
      CallsService calls =
          client(
              "127.0.0.1",
              server,
              ClientTls.builder()
                  .trustCertificates(pki.untrustedCaCertificate())
                  .provider(provider)
                  .build());

      RpcException e = callFails(calls);

      assertRefusedInTheHandshake(
          e, "127.0.0.1", server, "the server's certificate is not signed by a trusted CA: ");
      assertThat(logs.events(Level.ERROR)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void expiredServerCertificateIsRefused(TlsProvider provider) {
    assumeAvailable(provider);
    RpcServer server =
        server(
            ServerTls.builder()
                .keyCertChain(pki.expiredServerCertificate(), pki.expiredServerKey())
                .provider(provider)
                .build());
    CallsService calls = client("127.0.0.1", server, clientTls().provider(provider).build());

    RpcException e = callFails(calls);

    assertRefusedInTheHandshake(
        e,
        "127.0.0.1",
        server,
        "the server's certificate has expired or is not valid yet: NotAfter: ");
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void serverWithACertificateForAnotherHostIsRefused(TlsProvider provider) {
    assumeAvailable(provider);
    RpcServer server =
        server(
            ServerTls.builder()
                .keyCertChain(pki.otherHostServerCertificate(), pki.otherHostServerKey())
                .provider(provider)
                .build());
    CallsService calls = client("localhost", server, clientTls().provider(provider).build());

    RpcException e = callFails(calls);

    assertRefusedInTheHandshake(
        e,
        "localhost",
        server,
        "the server's certificate does not name the host it was reached as"
            + " (hostname verification): ");
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void serverWhoseCertificateDoesNotCarryTheExpectedNameIsRefused(TlsProvider provider) {
    assumeAvailable(provider);
    RpcServer server = server(serverTls().provider(provider).build());
    CallsService calls =
        client(
            "127.0.0.1",
            server,
            clientTls().serverName("users.example.com").provider(provider).build());

    RpcException e = callFails(calls);

    assertRefusedInTheHandshake(
        e,
        "127.0.0.1",
        server,
        "the server's certificate does not name the host it was reached as"
            + " (hostname verification): ");
  }

  @Test
  void hostnameVerificationCanBeTurnedOff() {
    RpcServer server = server(serverTls().build());
    CallsService calls =
        client(
            "127.0.0.1",
            server,
            clientTls().serverName("users.example.com").hostnameVerification(false).build());

    assertThat(calls.echo("unverified name")).isEqualTo("unverified name");
  }

  @Test
  void tlsClientOfAPlainServerIsRefused() {
    RpcServer plain = RpcServer.builder().host("127.0.0.1").addService(impl).build().start();
    open.add(plain);
    CallsService calls = client("127.0.0.1", plain, clientTls().build());

    RpcException e = callFails(calls);

    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.status().description())
        .isEqualTo(
            "TLS handshake with 127.0.0.1:"
                + plain.port()
                + " failed: the server closed the connection during the handshake (does it speak"
                + " TLS?)");
    assertThat(impl.executions("echo")).isZero();
  }

  @Test
  void connectionThatNeverStartsItsHandshakeIsClosedAfterTheTimeout() throws Exception {
    RpcServer server = server(serverTls().handshakeTimeout(Duration.ofMillis(300)).build());

    try (RawConnection silent = new RawConnection(server.port(), Duration.ofSeconds(5))) {
      long start = System.nanoTime();
      assertThat(silent.isClosedByPeer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
  }

  private static List<LoggedEvent> serverLogs(LogCapture logs, Level level) {
    return logs.events(level).stream().filter(e -> e.logger().contains(".internal.tls.")).toList();
  }
}
