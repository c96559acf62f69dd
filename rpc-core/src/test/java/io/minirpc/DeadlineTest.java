package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.StallingProxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deadlines: their defaults and overrides, what the server does with them, and lost servers. */
class DeadlineTest {

  @RpcService(name = "test.Calls", version = "1")
  interface AsyncCalls {
    CompletableFuture<String> await(String gate);
  }

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private RpcServer server;
  private RpcClient client;

  @BeforeEach
  void start() {
    // No grace period: closing the server mid-call must fail what is pending at once.
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .workerThreads(1)
            .gracePeriod(Duration.ZERO)
            .addService(impl)
            .build()
            .start();
    client =
        RpcClient.builder()
            .addresses("127.0.0.1:" + server.port())
            .timeout(Duration.ofMillis(500))
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Test
  void slowCallFailsWithDeadlineExceededNearItsDeadline() {
    long start = System.nanoTime();
    RpcException e =
        catchThrowableOfType(
            RpcException.class, () -> client.stub(CallsService.class).await("never-1"));
    long elapsed = millisSince(start);
    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.status().description())
        .startsWith("CallsService.await did not answer within 500 ms (provider 127.0.0.1:");
    assertThat(elapsed).isBetween(450L, 2_500L);
    impl.open("never-1");
  }

  @Test
  void methodAnnotationOverridesTheClientDefault() {
    long start = System.nanoTime();
    RpcException e =
        catchThrowableOfType(
            RpcException.class,
            () -> client.stub(CallsService.class).awaitWithShortTimeout("never-2"));
    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.status().description()).contains("within 300 ms");
    assertThat(millisSince(start)).isBetween(250L, 2_300L);
    impl.open("never-2");
  }

  @Test
  void callOptionsOverrideTheMethodAnnotation() {
    CallsService patient =
        client.stub(CallsService.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(150)));
    // Connected first, so that a slow connect on a busy machine cannot spend the 150 ms.
    assertThat(client.stub(CallsService.class).echo("warm")).isEqualTo("warm");
    RpcException e =
        catchThrowableOfType(RpcException.class, () -> patient.awaitWithShortTimeout("never-3"));
    assertThat(e.status().description()).contains("within 150 ms");
    impl.open("never-3");
  }

  @Test
  void aLongerTimeoutInCallOptionsAlsoWinsOverTheMethodAnnotation() {
    CallsService patient =
        client.stub(CallsService.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(900)));
    long start = System.nanoTime();
    RpcException e =
        catchThrowableOfType(RpcException.class, () -> patient.awaitWithShortTimeout("never-5"));
    assertThat(e.status().description()).contains("within 900 ms");
    // Past the method's 300 ms: the stub's 900 ms were the deadline.
    assertThat(millisSince(start)).isGreaterThanOrEqualTo(850L);
    impl.open("never-5");
  }

  @Test
  void asyncCallFailsWithDeadlineExceeded() {
    CompletableFuture<String> f = client.stub(AsyncCalls.class).await("never-4");
    CompletionException e = catchThrowableOfType(CompletionException.class, f::join);
    assertThat(e.getCause()).isInstanceOf(RpcException.class);
    assertThat(((RpcException) e.getCause()).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    impl.open("never-4");
  }

  @Test
  void serverSkipsWorkWhoseDeadlinePassedWhileItWaited() {
    // The only worker is busy; the second call waits in the queue past its 500 ms deadline.
    AsyncCalls async =
        client.stub(AsyncCalls.class, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)));
    CompletableFuture<String> blocker = async.await("blocker");
    Await.until(Duration.ofSeconds(5), "the blocker to run", () -> impl.executions("await") == 1);
    long sent = System.nanoTime();
    RpcException e =
        catchThrowableOfType(
            RpcException.class, () -> client.stub(CallsService.class).echo("late"));
    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    // The server counts the 500 ms from when the request arrived, a little after it was sent:
    // the condition here is time itself, the server's deadline being well past.
    Await.until(
        Duration.ofSeconds(5), "the server's deadline to pass", () -> millisSince(sent) > 1_000);
    impl.open("blocker");
    assertThat(blocker.join()).isEqualTo("passed blocker");
    // A call queued after the expired one completes, so the expired one has been dequeued.
    assertThat(client.stub(CallsService.class).add(1, 1)).isEqualTo(2);
    assertThat(impl.executions("echo")).isZero();
  }

  @Test
  void callWithNoTimeLeftFailsLocallyAndSendsNothing() throws Exception {
    try (StallingProxy proxy = StallingProxy.to(server.port());
        RpcClient counted = clientThrough(proxy)) {
      CallsService calls = counted.stub(CallsService.class);
      assertThat(calls.add(1, 2)).isEqualTo(3);
      // The proxy counts what it forwarded just after forwarding it: the answer may come first.
      Await.until(
          Duration.ofSeconds(5), "the request to be counted", () -> proxy.bytesToTarget() > 0);
      // Heartbeats are off: this is exactly one request's bytes.
      long oneRequest = proxy.bytesToTarget();

      CallsService hopeless =
          counted.stub(CallsService.class, CallOptions.DEFAULT.withTimeout(Duration.ofNanos(1)));
      RpcException e = catchThrowableOfType(RpcException.class, () -> hopeless.add(1, 2));
      assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(e.status().description())
          .startsWith("CallsService.add ran out of time before its request was sent")
          .endsWith("(timeout 0 ms); nothing was sent");
      AsyncAdd hopelessAsync =
          counted.stub(AsyncAdd.class, CallOptions.DEFAULT.withTimeout(Duration.ofNanos(1)));
      CompletionException async =
          catchThrowableOfType(CompletionException.class, hopelessAsync.add(1, 2)::join);
      assertThat(((RpcException) async.getCause()).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

      // Same size as the first: on the wire, only these two requests ever went to the server.
      assertThat(calls.add(1, 2)).isEqualTo(3);
      Await.until(
          Duration.ofSeconds(5),
          "the second request to be counted",
          () -> proxy.bytesToTarget() >= 2 * oneRequest);
      assertThat(proxy.bytesToTarget()).isEqualTo(2 * oneRequest);
      assertThat(impl.executions("add")).isEqualTo(2);
    }
  }

  @RpcService(name = "test.Calls", version = "1")
  interface AsyncAdd {
    CompletableFuture<Integer> add(int a, int b);
  }

  private static RpcClient clientThrough(StallingProxy proxy) {
    return RpcClient.builder()
        .addresses("127.0.0.1:" + proxy.port())
        .heartbeatInterval(Duration.ZERO)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  @Test
  void serverClosedMidCallFailsPendingCallsAtOnce() {
    CallsService patient =
        client.stub(CallsService.class, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
    AsyncCalls patientAsync =
        client.stub(AsyncCalls.class, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
    CompletableFuture<String> pendingAsync = patientAsync.await("forever-a");
    Await.until(
        Duration.ofSeconds(5), "the first call to run", () -> impl.executions("await") == 1);
    long start = System.nanoTime();
    CompletableFuture<RpcException> pendingSync =
        CompletableFuture.supplyAsync(
            () -> catchThrowableOfType(RpcException.class, () -> patient.await("forever-b")));
    server.close();
    RpcException syncFailure = pendingSync.join();
    assertThat(syncFailure.code()).isEqualTo(Status.Code.UNAVAILABLE);
    CompletionException asyncFailure =
        catchThrowableOfType(CompletionException.class, pendingAsync::join);
    assertThat(((RpcException) asyncFailure.getCause()).code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(asyncFailure.getCause().getMessage())
        .startsWith("UNAVAILABLE: connection to 127.0.0.1:")
        .contains("closed before the answer arrived");
    assertThat(millisSince(start)).isLessThan(10_000);
    impl.open("forever-a");
    impl.open("forever-b");
  }
}
