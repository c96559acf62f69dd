package io.minirpc.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deadlines and overload over the REST bridge, with one business thread: a call past its deadline
 * is answered 504 when the deadline passes, work whose deadline passed while it waited is skipped,
 * and a full executor is answered 503 at once.
 */
class RestDeadlineTest {

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private RpcServer server;

  @BeforeEach
  void start() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .workerThreads(1)
            .workerQueueSize(1)
            .gracePeriod(Duration.ZERO)
            .addService(impl)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CompletableFuture<HttpResponse<String>> post(String method, String json, String timeout) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.restPort() + "/test.Calls:1/" + method))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(json));
    if (timeout != null) {
      request.header("X-Minirpc-Timeout-Ms", timeout);
    }
    return http.sendAsync(request.build(), BodyHandlers.ofString());
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Test
  void callPastTheDeadlineOfItsMethodIsAGatewayTimeoutWhenItPasses() {
    // The gate stays closed, so the answer comes while the method still runs (it would wait 30 s).
    long start = System.nanoTime();
    HttpResponse<String> response = post("awaitWithShortTimeout", "[\"late-1\"]", null).join();
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.body())
        .isEqualTo(
            "{\"code\":\"DEADLINE_EXCEEDED\",\"message\":\"CallsService.awaitWithShortTimeout did"
                + " not answer within 300 ms\"}");
    assertThat(millisSince(start)).isBetween(250L, 10_000L);
    impl.open("late-1");
  }

  @Test
  void timeoutHeaderSetsTheDeadline() {
    long start = System.nanoTime();
    HttpResponse<String> response = post("awaitWithShortTimeout", "[\"late-2\"]", "100").join();
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.body()).contains("did not answer within 100 ms");
    assertThat(millisSince(start)).isBetween(100L, 10_000L);
    impl.open("late-2");
  }

  @Test
  void workWhoseDeadlinePassedWhileItWaitedIsSkipped() {
    CompletableFuture<HttpResponse<String>> blocker = post("await", "[\"blocker\"]", "10000");
    Await.until(Duration.ofSeconds(5), "the blocker to run", () -> impl.executions("await") == 1);
    HttpResponse<String> late = post("echo", "[\"late\"]", "100").join();
    assertThat(late.statusCode()).isEqualTo(504);
    impl.open("blocker");
    assertThat(blocker.join().body()).isEqualTo("\"passed blocker\"");
    // A call queued after the expired one answers, so the expired one has left the queue.
    assertThat(post("add", "[1, 1]", null).join().body()).isEqualTo("2");
    assertThat(impl.executions("echo")).isZero();
  }

  @Test
  void fullExecutorIsServiceUnavailableWithRetryAfter() {
    CompletableFuture<HttpResponse<String>> running = post("await", "[\"busy\"]", "10000");
    Await.until(
        Duration.ofSeconds(5), "the first call to run", () -> impl.executions("await") == 1);
    // One of these waits in the executor's only queue slot; the other finds it full.
    CompletableFuture<HttpResponse<String>> second = post("await", "[\"busy\"]", "10000");
    CompletableFuture<HttpResponse<String>> third = post("await", "[\"busy\"]", "10000");
    CompletableFuture.anyOf(second, third).join();
    // The queued call cannot answer before the gate opens: the one done is the one refused.
    boolean secondRefused = second.isDone();
    CompletableFuture<HttpResponse<String>> queued = secondRefused ? third : second;
    HttpResponse<String> refused = (secondRefused ? second : third).join();
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(refused.body())
        .isEqualTo(
            "{\"code\":\"RESOURCE_EXHAUSTED\",\"message\":\"the server is busy: its business"
                + " executor is full; try again later\"}");
    impl.open("busy");
    assertThat(running.join().statusCode()).isEqualTo(200);
    assertThat(queued.join().body()).isEqualTo("\"passed busy\"");
    assertThat(impl.executions("await")).isEqualTo(2);
  }
}
