package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call made from inside a service method (A calls B while serving its caller) gets no more time
 * than the call it serves has left, unless the service asks for less.
 */
class NestedDeadlineTest {

  /** Server A: each method calls server B's {@code CallsService.await} and waits for it. */
  @RpcService(name = "test.Front")
  public interface FrontService {
    String relay(String gate);

    String relayWithShortTimeout(String gate);

    String relayAsync(String gate);
  }

  /** B's {@code await}, seen as an asynchronous method. */
  @RpcService(name = "test.Calls", version = "1")
  public interface AsyncCalls {
    CompletableFuture<String> await(String gate);
  }

  /** What A saw of its nested call. */
  record Nested(RpcException failure, long elapsedMillis) {}

  private final class Front implements FrontService {
    @Override
    public String relay(String gate) {
      return timed(() -> toB.stub(CallsService.class).await(gate));
    }

    @Override
    public String relayWithShortTimeout(String gate) {
      return timed(
          () ->
              toB.stub(CallsService.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(100)))
                  .await(gate));
    }

    @Override
    public String relayAsync(String gate) {
      CompletableFuture<String> answer = toB.stub(AsyncCalls.class).await(gate);
      return timed(
          () -> {
            try {
              return answer.join();
            } catch (CompletionException e) {
              throw (RpcException) e.getCause();
            }
          });
    }

    private String timed(java.util.function.Supplier<String> call) {
      long start = System.nanoTime();
      try {
        return call.get();
      } catch (RpcException e) {
        nested.add(new Nested(e, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
        throw e;
      }
    }
  }

  private final CallsServiceImpl backend = new CallsServiceImpl();
  private final List<Duration> budgetsSeenByB = new CopyOnWriteArrayList<>();
  private final List<Nested> nested = new CopyOnWriteArrayList<>();
  private RpcServer serverB;
  private RpcServer serverA;
  private RpcClient toB;
  private RpcClient toA;

  @BeforeEach
  void start() {
    serverB =
        RpcServer.builder()
            .host("127.0.0.1")
            .gracePeriod(Duration.ZERO)
            .addService(backend)
            .intercept(
                (call, next) -> {
                  budgetsSeenByB.add(call.timeRemaining());
                  return next.proceed(call);
                })
            .build()
            .start();
    // A's own client would wait 5 s for B.
    toB =
        RpcClient.builder()
            .addresses("127.0.0.1:" + serverB.port())
            .timeout(Duration.ofSeconds(5))
            .maxAttempts(1)
            .build();
    serverA =
        RpcServer.builder()
            .host("127.0.0.1")
            .gracePeriod(Duration.ZERO)
            .addService(FrontService.class, new Front())
            .build()
            .start();
    toA =
        RpcClient.builder()
            .addresses("127.0.0.1:" + serverA.port())
            .timeout(Duration.ofMillis(400))
            .maxAttempts(1)
            .build();
  }

  @AfterEach
  void stop() {
    toA.close();
    serverA.close();
    toB.close();
    serverB.close();
  }

  private Nested nestedFailure() {
    Await.until(Duration.ofSeconds(5), "A's nested call to fail", () -> !nested.isEmpty());
    return nested.get(0);
  }

  @Test
  void nestedCallGetsTheTimeLeftOfTheCallItServes() {
    RpcException outer =
        catchThrowableOfType(
            RpcException.class, () -> toA.stub(FrontService.class).relay("never-1"));
    Nested inner = nestedFailure();
    backend.open("never-1");

    assertThat(outer.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(budgetsSeenByB).hasSize(1);
    assertThat(budgetsSeenByB.get(0)).isPositive().isLessThanOrEqualTo(Duration.ofMillis(400));
    assertThat(inner.failure().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(inner.failure().status().description())
        .matches(
            "CallsService\\.await did not answer within [0-9]+ ms \\(the time left of the call"
                + " being served\\) \\(provider 127\\.0\\.0\\.1:[0-9]+\\)");
    // Well before A's own 5 s: within what A's caller had left.
    assertThat(inner.elapsedMillis()).isLessThan(2_000L);
  }

  @Test
  void serviceMayAskForLessThanTheTimeLeft() {
    catchThrowableOfType(
        RpcException.class, () -> toA.stub(FrontService.class).relayWithShortTimeout("never-2"));
    Nested inner = nestedFailure();
    backend.open("never-2");

    assertThat(inner.failure().status().description())
        .startsWith("CallsService.await did not answer within 100 ms (provider 127.0.0.1:");
    // On a busy machine the 100 ms may pass before B's worker picks the call up, and B then skips
    // it: when B did run it, it had at most those 100 ms.
    assertThat(budgetsSeenByB)
        .allSatisfy(budget -> assertThat(budget).isLessThanOrEqualTo(Duration.ofMillis(100)));
  }

  @Test
  void asynchronousNestedCallGetsTheTimeLeftToo() {
    catchThrowableOfType(
        RpcException.class, () -> toA.stub(FrontService.class).relayAsync("never-3"));
    Nested inner = nestedFailure();
    backend.open("never-3");

    assertThat(budgetsSeenByB.get(0)).isPositive().isLessThanOrEqualTo(Duration.ofMillis(400));
    assertThat(inner.failure().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(inner.failure().status().description())
        .matches(
            "AsyncCalls\\.await did not answer within [0-9]+ ms \\(the time left of the call being"
                + " served\\) \\(provider 127\\.0\\.0\\.1:[0-9]+\\)");
    assertThat(inner.elapsedMillis()).isLessThan(2_000L);
  }

  @Test
  void callOutsideAServiceMethodKeepsItsOwnTimeout() {
    assertThat(ServerCallContext.current()).isNull();
    assertThat(toB.stub(CallsService.class).echo("plain")).isEqualTo("plain");
    assertThat(budgetsSeenByB.get(0)).isGreaterThan(Duration.ofSeconds(4));
  }
}
