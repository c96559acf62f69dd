package io.minirpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.CallOptions;
import io.minirpc.RpcException;
import io.minirpc.RpcService;
import io.minirpc.Status;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client's limit of calls in flight: calls past it wait within their deadline, unsent. */
class MaxCallsInFlightTest {

  @RpcService(name = "test.Calls", version = "1")
  interface AsyncCalls {
    CompletableFuture<String> await(String gate);

    CompletableFuture<String> echo(String text);
  }

  /** Calls held at a gate must not reach their deadline on a loaded machine meanwhile. */
  private static final CallOptions PATIENT =
      CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30));

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private RpcServer server;
  private RpcClient client;

  @BeforeEach
  void start() {
    server = RpcServer.builder().host("127.0.0.1").addService(impl).build().start();
    client =
        RpcClient.builder().addresses("127.0.0.1:" + server.port()).maxCallsInFlight(1).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void callPastTheLimitFailsWithResourceExhaustedWhenNoneEndsWithinItsDeadline() {
    CompletableFuture<String> holding = client.stub(AsyncCalls.class, PATIENT).await("gate");
    Await.until(Duration.ofSeconds(10), "the call to run", () -> impl.executions("await") == 1);

    CallsService shortCalls =
        client.stub(CallsService.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
    RpcException blocking = catchThrowableOfType(RpcException.class, () -> shortCalls.echo("no"));
    assertThat(blocking.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(blocking.status().description())
        .isEqualTo(
            "too many calls in flight: this client allows 1 at once"
                + " (RpcClient.Builder.maxCallsInFlight), and none ended within the 300 ms timeout"
                + " of CallsService.echo; it was not sent");

    AsyncCalls shortAsync =
        client.stub(AsyncCalls.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
    CompletableFuture<String> async = shortAsync.echo("no");
    RpcException failure =
        (RpcException)
            catchThrowableOfType(ExecutionException.class, () -> async.get(10, TimeUnit.SECONDS))
                .getCause();
    assertThat(failure.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(failure.status().description())
        .isEqualTo(
            "too many calls in flight: this client allows 1 at once"
                + " (RpcClient.Builder.maxCallsInFlight), and none ended within the 300 ms timeout"
                + " of AsyncCalls.echo; it was not sent");
    assertThat(impl.executions("echo")).isZero();
    impl.open("gate");
    assertThat(holding.join()).isEqualTo("passed gate");
  }

  @Test
  void callPastTheLimitRunsOnceAnotherEnds() throws Exception {
    AsyncCalls async = client.stub(AsyncCalls.class, PATIENT);
    CompletableFuture<String> holding = async.await("gate");
    CompletableFuture<String> waiting = async.echo("next");
    Await.until(
        Duration.ofSeconds(10), "the first call to run", () -> impl.executions("await") == 1);
    assertThat(waiting).isNotDone();
    assertThat(impl.executions("echo")).isZero();

    impl.open("gate");
    assertThat(holding.get(10, TimeUnit.SECONDS)).isEqualTo("passed gate");
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("next");
    // Every permit came back.
    assertThat(client.stub(CallsService.class).echo("then")).isEqualTo("then");
    assertThat(async.echo("and").get(10, TimeUnit.SECONDS)).isEqualTo("and");
  }

  @Test
  void limitMustBePositive() {
    assertThatThrownBy(() -> RpcClient.builder().maxCallsInFlight(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxCallsInFlight must be positive: 0");
  }
}
