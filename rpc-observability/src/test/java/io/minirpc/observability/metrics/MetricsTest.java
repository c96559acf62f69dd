package io.minirpc.observability.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minirpc.ProviderState;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ServerMetrics} and {@link ClientMetrics} against a real server and client: the meters
 * count exactly the calls made, by method and outcome, over both of the server's ports; the bytes
 * and connections both ends count agree; the providers' gauge follows a provider going away.
 */
class MetricsTest {

  private final SimpleMeterRegistry serverMeters = new SimpleMeterRegistry();
  private final SimpleMeterRegistry clientMeters = new SimpleMeterRegistry();
  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final ServerMetrics serverMetrics = ServerMetrics.of(serverMeters);
  private final ClientMetrics clientMetrics = ClientMetrics.of(clientMeters);
  private RpcServer server;
  private RpcClient client;

  @BeforeEach
  void start() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .addService(impl)
            .intercept(serverMetrics)
            .intercept(
                (call, next) -> {
                  if (call.method().equals("add")) {
                    throw Status.PERMISSION_DENIED.withDescription("no adding").asException();
                  }
                  return next.proceed(call);
                })
            .build()
            .start();
    client =
        RpcClient.builder()
            .addresses("127.0.0.1:" + server.port())
            .intercept(clientMetrics)
            .build();
    serverMetrics.bindTransport(server.transportStats()).bindTransport(server.restTransportStats());
    clientMetrics
        .bindTransport(client.transportStats())
        .bindProviderStates(client.providerStates());
  }

  @AfterEach
  void close() {
    impl.open("late");
    impl.open("held");
    client.close();
    server.close();
  }

  private static Timer duration(
      SimpleMeterRegistry registry, String side, String method, Status.Code code) {
    return registry
        .get("rpc." + side + ".duration")
        .tags("rpc.system", "minirpc", "rpc.method", method, "rpc.minirpc.status_code", code.name())
        .timer();
  }

  private static double started(SimpleMeterRegistry registry, String side, String method) {
    return registry
        .get("rpc." + side + ".calls.started")
        .tags("rpc.method", method)
        .counter()
        .count();
  }

  private static double active(SimpleMeterRegistry registry, String side, String method) {
    return registry.get("rpc." + side + ".calls.active").tags("rpc.method", method).gauge().value();
  }

  private static double bytes(
      MeterRegistry registry, String side, String direction, String protocol) {
    return registry
        .get("rpc." + side + ".bytes." + direction)
        .tags("rpc.system", "minirpc", "network.protocol.name", protocol)
        .functionCounter()
        .count();
  }

  private static double connections(MeterRegistry registry, String side, String protocol) {
    return registry
        .get("rpc." + side + ".connections")
        .tags("rpc.system", "minirpc", "network.protocol.name", protocol)
        .gauge()
        .value();
  }

  private static double providers(MeterRegistry registry, ProviderState state) {
    return registry
        .get("rpc.client.providers")
        .tags("rpc.system", "minirpc", "state", state.name().toLowerCase(java.util.Locale.ROOT))
        .gauge()
        .value();
  }

  /** Both ends have counted every byte the other sent: they are the same TCP bytes. */
  private boolean bothEndsAgree() {
    return bytes(serverMeters, "server", "received", "minirpc")
            == bytes(clientMeters, "client", "sent", "minirpc")
        && bytes(serverMeters, "server", "sent", "minirpc")
            == bytes(clientMeters, "client", "received", "minirpc");
  }

  @Test
  void bytesAndConnectionsAgreeOnBothEndsAndConnectionsGoWhenTheClientCloses() {
    assertThat(connections(serverMeters, "server", "minirpc")).isZero();
    CallsService calls = client.stub(CallsService.class);
    int n = 10;
    for (int i = 0; i < n; i++) {
      calls.echo("hi " + i);
    }
    Await.until(Duration.ofSeconds(10), "both ends to count the same bytes", this::bothEndsAgree);

    // Each frame is a 24-byte header and a body: a request's names its method and carries the
    // 4-byte text; an answer's is the text alone.
    assertThat(bytes(clientMeters, "client", "sent", "minirpc")).isGreaterThan(n * 28.0);
    assertThat(bytes(clientMeters, "client", "received", "minirpc"))
        .isGreaterThanOrEqualTo(n * 28.0);
    assertThat(bytes(clientMeters, "client", "sent", "minirpc"))
        .isEqualTo(client.transportStats().bytesSent());
    assertThat(connections(serverMeters, "server", "minirpc")).isEqualTo(1);
    assertThat(connections(clientMeters, "client", "minirpc")).isEqualTo(1);
    // The REST port counts apart, and had no traffic.
    assertThat(bytes(serverMeters, "server", "received", "http")).isZero();
    assertThat(connections(serverMeters, "server", "http")).isZero();

    client.close();
    Await.until(
        Duration.ofSeconds(10),
        "the server's connection gauge to fall to 0",
        () -> connections(serverMeters, "server", "minirpc") == 0);
    assertThat(connections(clientMeters, "client", "minirpc")).isZero();
    assertThat(bothEndsAgree()).isTrue();
  }

  @Test
  void providersGaugeCountsAProviderGoingAwayUntilItsLastCallEnds() {
    CallsService calls = client.stub(CallsService.class);
    calls.echo("hi");
    assertThat(providers(clientMeters, ProviderState.AVAILABLE)).isEqualTo(1);
    assertThat(providers(clientMeters, ProviderState.GOING_AWAY)).isZero();

    CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> calls.await("held"));
    Await.until(
        Duration.ofSeconds(10), "the held call to run", () -> impl.executions("await") == 1);
    // close() sends going-away, then waits for the held call and the client's connection.
    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    Await.until(
        Duration.ofSeconds(10),
        "the provider to count as going away",
        () -> providers(clientMeters, ProviderState.GOING_AWAY) == 1);
    assertThat(providers(clientMeters, ProviderState.AVAILABLE)).isZero();
    assertThat(providers(clientMeters, ProviderState.CIRCUIT_OPEN)).isZero();

    impl.open("held");
    assertThat(held.join()).isEqualTo("passed held");
    closing.join();
    // The client learns of the closed connection on its own event loop, a moment later.
    Await.until(
        Duration.ofSeconds(10),
        "the provider to stop counting as going away",
        () -> providers(clientMeters, ProviderState.GOING_AWAY) == 0);
  }

  @Test
  void metersCountEveryCallByMethodAndOutcomeOnBothSides() throws Exception {
    CallsService calls = client.stub(CallsService.class);
    for (int i = 0; i < 7; i++) {
      calls.echo("hi " + i);
    }
    for (int i = 0; i < 3; i++) {
      catchThrowableOfType(RpcException.class, () -> calls.fail("boom"));
    }
    catchThrowableOfType(RpcException.class, () -> calls.add(1, 2));
    calls.echoAsync("async").join();
    RpcException late =
        catchThrowableOfType(RpcException.class, () -> calls.awaitWithShortTimeout("late"));
    impl.open("late");
    HttpResponse<String> rest =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.restPort() + "/test.Calls:1/echo"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[\"over http\"]"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(late.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(rest.statusCode()).isEqualTo(200);
    assertThat(duration(clientMeters, "client", "echo", Status.Code.OK).count()).isEqualTo(7);
    assertThat(duration(clientMeters, "client", "fail", Status.Code.APPLICATION_ERROR).count())
        .isEqualTo(3);
    assertThat(duration(clientMeters, "client", "add", Status.Code.PERMISSION_DENIED).count())
        .isEqualTo(1);
    assertThat(duration(clientMeters, "client", "echoAsync", Status.Code.OK).count()).isEqualTo(1);
    assertThat(
            duration(clientMeters, "client", "awaitWithShortTimeout", Status.Code.DEADLINE_EXCEEDED)
                .count())
        .isEqualTo(1);
    assertThat(started(clientMeters, "client", "echo")).isEqualTo(7);

    // The server counts the REST call with the others, and the late call once it ends.
    Await.until(
        Duration.ofSeconds(10),
        "the late call's end on the server",
        () ->
            serverMeters
                    .find("rpc.server.duration")
                    .tags("rpc.method", "awaitWithShortTimeout")
                    .timer()
                != null);
    assertThat(duration(serverMeters, "server", "echo", Status.Code.OK).count()).isEqualTo(8);
    assertThat(started(serverMeters, "server", "echo")).isEqualTo(8);
    assertThat(duration(serverMeters, "server", "fail", Status.Code.APPLICATION_ERROR).count())
        .isEqualTo(3);
    assertThat(duration(serverMeters, "server", "add", Status.Code.PERMISSION_DENIED).count())
        .isEqualTo(1);
    assertThat(
            duration(serverMeters, "server", "awaitWithShortTimeout", Status.Code.DEADLINE_EXCEEDED)
                .count())
        .isEqualTo(1);
    assertThat(impl.executions("add")).isZero();
    assertThat(active(serverMeters, "server", "echo")).isZero();
    assertThat(active(clientMeters, "client", "echo")).isZero();
    Timer echo = duration(serverMeters, "server", "echo", Status.Code.OK);
    assertThat(echo.takeSnapshot().percentileValues()).hasSize(2);
    assertThat(echo.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
  }
}
