package io.minirpc.observability.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ServerMetrics} and {@link ClientMetrics} against a real server and client: the meters
 * count exactly the calls made, by method and outcome, over both of the server's ports.
 */
class MetricsTest {

  private final SimpleMeterRegistry serverMeters = new SimpleMeterRegistry();
  private final SimpleMeterRegistry clientMeters = new SimpleMeterRegistry();
  private final CallsServiceImpl impl = new CallsServiceImpl();
  private RpcServer server;
  private RpcClient client;

  @BeforeEach
  void start() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .addService(impl)
            .intercept(ServerMetrics.of(serverMeters))
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
            .intercept(ClientMetrics.of(clientMeters))
            .build();
  }

  @AfterEach
  void close() {
    impl.open("late");
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
