package io.minirpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.CallOptions;
import io.minirpc.RpcException;
import io.minirpc.RpcService;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Limits of concurrent calls per service and per method, over the RPC port and the REST bridge. */
class ConcurrentCallLimitTest {

  @RpcService(name = "test.Calls", version = "1")
  interface AsyncCalls {
    CompletableFuture<String> await(String gate);
  }

  /** Calls held at a gate must not reach their deadline on a loaded machine meanwhile. */
  private static final CallOptions PATIENT =
      CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30));

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> post(RpcServer server, String method, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.restPort() + "/test.Calls:1/" + method))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(json))
            .build(),
        BodyHandlers.ofString());
  }

  @Test
  void serviceAtItsLimitRefusesMoreCallsAtOnceOverBothTransportsAndTakesThemAgainAfter()
      throws Exception {
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .restPort(0)
                .addService(impl)
                .maxConcurrentCalls(CallsService.class, 2)
                .build()
                .start();
        RpcClient client = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build()) {
      AsyncCalls async = client.stub(AsyncCalls.class, PATIENT);
      CompletableFuture<String> first = async.await("one");
      CompletableFuture<String> second = async.await("two");
      Await.until(Duration.ofSeconds(10), "two calls to run", () -> impl.executions("await") == 2);
      String refusal =
          "too many concurrent calls: service 'test.Calls:1' allows 2 at once on this server;"
              + " try again later";

      long start = System.nanoTime();
      RpcException e =
          catchThrowableOfType(
              RpcException.class, () -> client.stub(CallsService.class).echo("three"));
      assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.status().description()).isEqualTo(refusal);
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(2));

      HttpResponse<String> rest = post(server, "echo", "[\"three\"]");
      assertThat(rest.statusCode()).isEqualTo(503);
      assertThat(rest.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(rest.body())
          .isEqualTo("{\"code\":\"RESOURCE_EXHAUSTED\",\"message\":\"" + refusal + "\"}");
      assertThat(impl.executions("echo")).isZero();

      impl.open("one");
      impl.open("two");
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("passed one");
      assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("passed two");
      // Answered calls give their slots back, over both transports.
      assertThat(client.stub(CallsService.class).echo("again")).isEqualTo("again");
      assertThat(post(server, "echo", "[\"again\"]").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void methodAtItsLimitRefusesMoreCallsOfItButNotOfOtherMethods() throws Exception {
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .addService(impl)
                .maxConcurrentCalls(CallsService.class, "await", 1)
                .build()
                .start();
        RpcClient client = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build()) {
      AsyncCalls async = client.stub(AsyncCalls.class, PATIENT);
      CompletableFuture<String> running = async.await("gate");
      Await.until(Duration.ofSeconds(10), "a call to run", () -> impl.executions("await") == 1);

      CompletableFuture<String> refused = async.await("other");
      RpcException e =
          (RpcException)
              catchThrowableOfType(
                      java.util.concurrent.ExecutionException.class,
                      () -> refused.get(10, TimeUnit.SECONDS))
                  .getCause();
      assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.status().description())
          .isEqualTo(
              "too many concurrent calls: CallsService.await allows 1 at once on this server;"
                  + " try again later");
      assertThat(client.stub(CallsService.class).echo("free")).isEqualTo("free");

      impl.open("gate");
      assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("passed gate");
      impl.open("later");
      assertThat(async.await("later").get(10, TimeUnit.SECONDS)).isEqualTo("passed later");
    }
  }

  @Test
  void limitOfAnUnknownMethodFailsTheBuild() {
    assertThatThrownBy(
            () ->
                RpcServer.builder()
                    .addService(impl)
                    .maxConcurrentCalls(CallsService.class, "nope", 1)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentCalls names method 'nope', which service test.Calls:1 lacks");
  }

  @Test
  void limitOfAServiceNotAddedFailsTheBuild() {
    assertThatThrownBy(
            () ->
                RpcServer.builder()
                    .addService(impl)
                    .maxConcurrentCalls(AsyncCalls.class, 1)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maxConcurrentCalls is set for " + AsyncCalls.class.getName() + ", which is not added");
  }
}
