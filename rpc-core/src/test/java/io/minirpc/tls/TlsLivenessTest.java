package io.minirpc.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.StallingProxy;
import io.minirpc.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Liveness over TLS: heartbeats travel inside the TLS session like any frame, so they keep idle
 * connections open and find stalled ones, and a provider that comes back at the same address is
 * called again over a new handshake.
 */
@Timeout(30)
class TlsLivenessTest {

  @TempDir static Path dir;
  private static TestCertificates pki;

  @BeforeAll
  static void certificates() {
    pki = TestCertificates.createIn(dir);
  }

  private static RpcServer server(int port, Duration idleTimeout, TlsProvider provider) {
    return RpcServer.builder()
        .host("127.0.0.1")
        .port(port)
        .idleTimeout(idleTimeout)
        .tls(
            ServerTls.builder()
                .keyCertChain(pki.serverCertificate(), pki.serverKey())
                .provider(provider)
                .build())
        .addService(new CallsServiceImpl())
        .build()
        .start();
  }

  private static RpcClient client(
      int port, Duration heartbeat, int heartbeatMisses, TlsProvider provider) {
    return RpcClient.builder()
        .addresses("127.0.0.1:" + port)
        .heartbeatInterval(heartbeat)
        .heartbeatMisses(heartbeatMisses)
        .tls(ClientTls.builder().trustCertificates(pki.caCertificate()).provider(provider).build())
        .build();
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void tlsClientCallsAProviderRestartedAtTheSameAddress(TlsProvider provider) throws Exception {
    TlsTest.assumeAvailable(provider);
    RpcServer server = server(0, Duration.ofSeconds(60), provider);
    int port = server.port();
    try (RpcClient client = client(port, Duration.ofMillis(200), 2, provider)) {
      CallsService calls = client.stub(CallsService.class);
      assertThat(calls.echo("before")).isEqualTo("before");

      server.close();
      assertThatThrownBy(() -> calls.echo("while down"))
          .isInstanceOf(RpcException.class)
          .satisfies(e -> assertThat(((RpcException) e).code()).isEqualTo(Status.Code.UNAVAILABLE));
      server = server(port, Duration.ofSeconds(60), provider);

      Await.until(Duration.ofSeconds(5), "a call to the restarted provider", () -> succeeds(calls));
    } finally {
      server.close();
    }
  }

  @Test
  void heartbeatsKeepAnIdleTlsConnectionOpenPastTheServersIdleTimeout() throws Exception {
    try (RpcServer server = server(0, Duration.ofMillis(600), TlsProvider.JDK);
        StallingProxy proxy = StallingProxy.to(server.port());
        RpcClient client = client(proxy.port(), Duration.ofMillis(100), 5, TlsProvider.JDK)) {
      CallsService calls = client.stub(CallsService.class);
      calls.record("first");
      long sent = proxy.bytesToTarget();

      // Ten pings, each a TLS record larger than the frame it carries: past the idle timeout.
      Await.until(
          Duration.ofSeconds(5), "ten pings", () -> proxy.bytesToTarget() >= sent + 10 * 24);
      calls.record("second");

      assertThat(proxy.connectionsAccepted()).isEqualTo(1);
    }
  }

  @Test
  void stalledTlsConnectionFailsItsCallsAndANewOneServesOnceTheNetworkRecovers() throws Exception {
    try (RpcServer server = server(0, Duration.ofSeconds(60), TlsProvider.JDK);
        StallingProxy proxy = StallingProxy.to(server.port());
        RpcClient client = client(proxy.port(), Duration.ofMillis(200), 2, TlsProvider.JDK)) {
      CallsService calls = client.stub(CallsService.class);
      assertThat(calls.echo("before")).isEqualTo("before");

      proxy.pause();
      CompletableFuture<String> pending = calls.echoAsync("stalled");

      assertThatThrownBy(pending::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(RpcException.class)
          .hasMessage(
              "UNAVAILABLE: connection to 127.0.0.1:"
                  + proxy.port()
                  + " closed before the answer arrived (no answer to 2 heartbeats in 600 ms)");

      proxy.resume();
      Await.until(
          Duration.ofSeconds(5), "a call through the recovered network", () -> succeeds(calls));
      assertThat(proxy.connectionsAccepted()).isEqualTo(2);
    }
  }

  private static boolean succeeds(CallsService calls) {
    try {
      return calls.echo("after").equals("after");
    } catch (RpcException e) {
      return false;
    }
  }
}
