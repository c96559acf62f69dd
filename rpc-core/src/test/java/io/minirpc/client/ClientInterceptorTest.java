package io.minirpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.CallOptions;
import io.minirpc.ClientInterceptor;
import io.minirpc.Deadline;
import io.minirpc.RpcException;
import io.minirpc.RpcService;
import io.minirpc.ServerCallContext;
import io.minirpc.Status;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client interceptors around real calls to a real server: what they see of each call's outcome and
 * duration, their order, and what they may do (add attachments, refuse, retry); stub options
 * (deadline, attachments); and the served call's context in the callbacks of nested calls.
 */
class ClientInterceptorTest {

  /** Reads what the call being served carries. */
  @RpcService(name = "test.Seen")
  public interface SeenService {
    String attachment(String key);

    /** The time left of the call being served, in milliseconds. */
    long timeLeftMillis();

    CompletableFuture<Long> timeLeftMillisAsync();
  }

  static final class SeenServiceImpl implements SeenService {
    @Override
    public String attachment(String key) {
      return ServerCallContext.current().attachments().get(key);
    }

    @Override
    public long timeLeftMillis() {
      return ServerCallContext.current().timeRemaining().toMillis();
    }

    @Override
    public CompletableFuture<Long> timeLeftMillisAsync() {
      return CompletableFuture.completedFuture(timeLeftMillis());
    }
  }

  /** Calls {@link SeenService} from a served call, the second time from a future's callback. */
  @RpcService(name = "test.Relay")
  public interface RelayService {
    CompletableFuture<Long> timeLeftSeenByNestedCallFromCallback();
  }

  /** One outcome as an interceptor recorded it. */
  record Outcome(String method, Status.Code code, long nanos) {}

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private RpcServer server;

  /** Records every call's method, status and duration, as a metrics interceptor would. */
  private final ClientInterceptor recording =
      (request, next) -> {
        long start = System.nanoTime();
        return next.proceed(request)
            .whenComplete(
                (result, failure) ->
                    outcomes.add(
                        new Outcome(
                            request.method(),
                            Status.fromThrowable(failure).code(),
                            System.nanoTime() - start)));
      };

  @BeforeEach
  void startServer() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .addService(impl)
            .addService(SeenService.class, new SeenServiceImpl())
            .intercept(
                (call, next) -> {
                  if (call.method().equals("add")) {
                    throw Status.PERMISSION_DENIED.withDescription("no adding").asException();
                  }
                  return next.proceed(call);
                })
            .build()
            .start();
    toClose.add(server);
  }

  @AfterEach
  void close() throws Exception {
    impl.open("never");
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private RpcClient client(ClientInterceptor... interceptors) {
    RpcClient client =
        RpcClient.builder()
            .addresses("127.0.0.1:" + server.port())
            .timeout(Duration.ofSeconds(10))
            .intercept(interceptors)
            .build();
    toClose.add(client);
    return client;
  }

  private Outcome outcomeOf(String method) {
    return outcomes.stream().filter(o -> o.method().equals(method)).findFirst().orElseThrow();
  }

  @Test
  void interceptorSeesStatusAndDurationOfSuccessfulFailingTimedOutAndRefusedBlockingCalls() {
    CallsService calls = client(recording).stub(CallsService.class);

    assertThat(calls.echo("hi")).isEqualTo("hi");
    catchThrowableOfType(RpcException.class, () -> calls.fail("boom"));
    long start = System.nanoTime();
    RpcException timedOut =
        catchThrowableOfType(RpcException.class, () -> calls.awaitWithShortTimeout("never"));
    long waited = System.nanoTime() - start;
    RpcException refused = catchThrowableOfType(RpcException.class, () -> calls.add(1, 2));

    assertThat(timedOut.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(refused.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(outcomes).hasSize(4);
    assertThat(outcomeOf("echo").code()).isEqualTo(Status.Code.OK);
    assertThat(outcomeOf("fail").code()).isEqualTo(Status.Code.APPLICATION_ERROR);
    assertThat(outcomeOf("awaitWithShortTimeout").code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(outcomeOf("add").code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    // The method's @CallTimeout is 300 ms: the interceptor saw the call last that long, and the
    // caller was not kept waiting much longer than the interceptor.
    assertThat(outcomeOf("awaitWithShortTimeout").nanos())
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(290))
        .isLessThanOrEqualTo(waited);
    assertThat(outcomes).allSatisfy(o -> assertThat(o.nanos()).isPositive());
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void interceptorSeesOutcomesOfAsyncCallsBeforeTheCallerDoes() {
    CallsService calls = client(recording).stub(CallsService.class);

    CompletableFuture<String> answered = calls.echoAsync("hi");
    assertThat(answered.join()).isEqualTo("hi");

    assertThat(outcomes).containsExactly(outcomeOf("echoAsync"));
    assertThat(outcomeOf("echoAsync").code()).isEqualTo(Status.Code.OK);
  }

  @Test
  void interceptorThatRefusesFailsTheCallWithoutSendingItAndOuterInterceptorsSeeTheRefusal() {
    ClientInterceptor refusing =
        (request, next) -> {
          throw Status.UNAUTHENTICATED.withDescription("no credential").asException();
        };
    CallsService calls = client(recording, refusing).stub(CallsService.class);

    RpcException e = catchThrowableOfType(RpcException.class, () -> calls.echo("hi"));
    CompletionException async =
        catchThrowableOfType(CompletionException.class, () -> calls.echoAsync("hi").join());

    assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e).hasMessageContaining("no credential");
    assertThat(async.getCause()).isInstanceOf(RpcException.class);
    assertThat(((RpcException) async.getCause()).code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(outcomes)
        .extracting(Outcome::code)
        .containsExactly(Status.Code.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED);
    assertThat(impl.executions("echo")).isZero();
    assertThat(impl.executions("echoAsync")).isZero();
  }

  @Test
  void interceptorsRunFirstRegisteredOutermost() {
    List<String> order = new CopyOnWriteArrayList<>();
    ClientInterceptor first = tracing("first", order);
    ClientInterceptor second = tracing("second", order);
    CallsService calls = client(first, second).stub(CallsService.class);

    calls.echo("hi");

    assertThat(order).containsExactly("first>", "second>", "<second", "<first");
  }

  private static ClientInterceptor tracing(String name, List<String> order) {
    return (request, next) -> {
      order.add(name + ">");
      return next.proceed(request).whenComplete((r, t) -> order.add("<" + name));
    };
  }

  @Test
  void attachmentsOfInterceptorsAndStubOptionsReachTheService() {
    ClientInterceptor tenant =
        (request, next) -> next.proceed(request.withAttachment("tenant", "acme"));
    RpcClient client = client(tenant);
    SeenService seen =
        client.stub(SeenService.class, CallOptions.DEFAULT.withAttachment("request-id", "r-1"));

    assertThat(seen.attachment("tenant")).isEqualTo("acme");
    assertThat(seen.attachment("request-id")).isEqualTo("r-1");
  }

  @Test
  void interceptorMayRetryTheWholeCall() {
    ClientInterceptor retryOnce =
        (request, next) ->
            next.proceed(request)
                .exceptionallyCompose(
                    failure ->
                        Status.fromThrowable(failure).code() == Status.Code.APPLICATION_ERROR
                            ? next.proceed(request)
                            : CompletableFuture.failedFuture(failure));
    CallsService calls = client(recording, retryOnce).stub(CallsService.class);

    RpcException e = catchThrowableOfType(RpcException.class, () -> calls.fail("boom"));

    assertThat(e.code()).isEqualTo(Status.Code.APPLICATION_ERROR);
    assertThat(impl.executions("fail")).isEqualTo(2);
    assertThat(outcomes).hasSize(1);
  }

  @Test
  void stubDeadlineBoundsItsCallsAndOneAlreadyPassedSendsNothing() {
    RpcClient client = client();
    CallsService passed =
        client.stub(
            CallsService.class,
            CallOptions.DEFAULT.withDeadline(Deadline.after(Duration.ofMillis(-1))));
    CallsService soon =
        client.stub(
            CallsService.class,
            CallOptions.DEFAULT.withDeadline(Deadline.after(Duration.ofMillis(200))));

    RpcException expired = catchThrowableOfType(RpcException.class, () -> passed.echo("hi"));
    long start = System.nanoTime();
    RpcException timedOut = catchThrowableOfType(RpcException.class, () -> soon.await("never"));
    long waited = System.nanoTime() - start;

    assertThat(expired.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(expired).hasMessageContaining("nothing was sent");
    assertThat(impl.executions("echo")).isZero();
    assertThat(timedOut.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    // The client's timeout is 10 s: the stub's deadline ended the wait.
    assertThat(waited).isLessThan(TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void nestedCallFromTheCallbackOfAFutureInheritsTheServedCallsDeadline() {
    // The relay's own client would give its calls 30 s; the served call has at most 2 s.
    RpcClient nested =
        RpcClient.builder()
            .addresses("127.0.0.1:" + server.port())
            .timeout(Duration.ofSeconds(30))
            .build();
    toClose.add(nested);
    SeenService seen = nested.stub(SeenService.class);
    RpcServer relay =
        RpcServer.builder()
            .host("127.0.0.1")
            .addService(
                RelayService.class,
                () -> seen.timeLeftMillisAsync().thenCompose(first -> seen.timeLeftMillisAsync()))
            .build()
            .start();
    toClose.add(relay);
    RpcClient caller =
        RpcClient.builder()
            .addresses("127.0.0.1:" + relay.port())
            .timeout(Duration.ofSeconds(2))
            .build();
    toClose.add(caller);

    long timeLeft = caller.stub(RelayService.class).timeLeftSeenByNestedCallFromCallback().join();

    assertThat(timeLeft).isPositive().isLessThanOrEqualTo(2000);
  }
}
