package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a server interceptor sees of each call's outcome, over the minirpc port (through {@link
 * RpcClient} stubs) and the REST port (through the JDK's HTTP client) alike: the status and how
 * long the call took inside it, for calls that succeed, fail, outlive their deadline, are refused
 * by an inner interceptor or by a {@code maxConcurrentCalls} limit; and what it passes on to the
 * service and to the interceptors inside it.
 */
class ServerInterceptorOutcomeTest {

  /** Reads what the interceptors passed on, from inside the service method. */
  @RpcService(name = "test.Who")
  public interface WhoService {
    /** The user value and the tenant attachment of the current call, as "user@tenant". */
    String who();
  }

  static final class WhoServiceImpl implements WhoService {
    @Override
    public String who() {
      ServerCallContext call = ServerCallContext.current();
      return call.value(USER) + "@" + call.attachments().get("tenant");
    }
  }

  enum Port {
    BINARY,
    REST
  }

  /** What the outermost interceptor saw of one call. */
  record Outcome(
      String service, String method, Status status, String remoteType, long nanos, String thread) {}

  private static final ServerCallContext.Key<String> USER =
      ServerCallContext.Key.of("user", String.class);

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
  private final List<String> order = new CopyOnWriteArrayList<>();
  private final List<Deadline> deadlines = new CopyOnWriteArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private RpcServer server;
  private RpcClient client;
  private CallsService calls;

  /** Outermost: times the call around next and records its outcome. */
  private final ServerInterceptor timing =
      (call, next) -> {
        order.add("timing");
        String thread = Thread.currentThread().getName();
        long start = System.nanoTime();
        return next.proceed(call.withAttachment("tenant", "acme").withValue(USER, "alice"))
            .whenComplete(
                (result, failure) ->
                    outcomes.add(
                        new Outcome(
                            call.service(),
                            call.method(),
                            Status.fromThrowable(failure),
                            failure instanceof RpcException e ? e.remoteType() : null,
                            System.nanoTime() - start,
                            thread)));
      };

  /** Inside it: sees what the outer one passed on, and refuses every call of {@code people}. */
  private final ServerInterceptor gate =
      (call, next) -> {
        order.add("gate saw " + call.value(USER) + "@" + call.attachments().get("tenant"));
        call.deadline().ifPresent(deadlines::add);
        if (call.method().equals("people")) {
          throw Status.UNAUTHENTICATED.withDescription("not for you").asException();
        }
        return next.proceed(call);
      };

  @BeforeEach
  void start() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .gracePeriod(Duration.ZERO)
            .addService(impl)
            .addService(WhoService.class, new WhoServiceImpl())
            .maxConcurrentCalls(CallsService.class, "await", 1)
            .intercept(timing, gate)
            .build()
            .start();
    client = RpcClient.builder().addresses("127.0.0.1:" + server.port()).maxAttempts(1).build();
    calls = client.stub(CallsService.class);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  /** Makes a call on this port; returns the status code its caller saw. */
  private Status.Code call(Port port, String method, String jsonArguments, Runnable stubCall)
      throws Exception {
    if (port == Port.BINARY) {
      try {
        stubCall.run();
        return Status.Code.OK;
      } catch (RpcException e) {
        return e.code();
      }
    }
    HttpResponse<String> response =
        http.send(post("test.Calls:1", method, jsonArguments), BodyHandlers.ofString());
    return codeOf(response);
  }

  private HttpRequest post(String service, String method, String jsonArguments) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.restPort() + "/" + service + "/" + method))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10))
        .POST(BodyPublishers.ofString(jsonArguments))
        .build();
  }

  private static Status.Code codeOf(HttpResponse<String> response) throws Exception {
    return response.statusCode() == 200
        ? Status.Code.OK
        : Status.Code.valueOf(new ObjectMapper().readTree(response.body()).get("code").asText());
  }

  /** The outcome the interceptor recorded for the call of this method, once it has. */
  private Outcome outcomeOf(String method) {
    Await.until(
        Duration.ofSeconds(10),
        "the interceptor to see the outcome of " + method,
        () -> outcomes.stream().anyMatch(o -> o.method().equals(method)));
    return outcomes.stream().filter(o -> o.method().equals(method)).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(Port.class)
  void successfulCallIsSeenOk(Port port) throws Exception {
    assertThat(call(port, "add", "[40, 2]", () -> calls.add(40, 2))).isEqualTo(Status.Code.OK);

    Outcome outcome = outcomeOf("add");
    assertThat(outcome.service()).isEqualTo("test.Calls:1");
    assertThat(outcome.status()).isEqualTo(Status.OK);
    assertThat(outcome.nanos()).isPositive();
    assertThat(outcome.thread()).startsWith("minirpc-worker");
  }

  @ParameterizedTest
  @EnumSource(Port.class)
  void serviceExceptionIsSeenAsApplicationErrorWithItsType(Port port) throws Exception {
    assertThat(call(port, "fail", "[\"boom\"]", () -> calls.fail("boom")))
        .isEqualTo(Status.Code.APPLICATION_ERROR);

    Outcome outcome = outcomeOf("fail");
    assertThat(outcome.status()).isEqualTo(Status.APPLICATION_ERROR.withDescription("boom"));
    assertThat(outcome.remoteType()).isEqualTo("java.lang.IllegalStateException");
    assertThat(outcome.nanos()).isPositive();
  }

  @ParameterizedTest
  @EnumSource(Port.class)
  void callThatOutlivesItsDeadlineIsSeenAsDeadlineExceeded(Port port) throws Exception {
    String gateName = "late-" + port;
    // awaitWithShortTimeout has a 300 ms CallTimeout, the deadline of both ports.
    Status.Code seen =
        call(
            port,
            "awaitWithShortTimeout",
            "[\"" + gateName + "\"]",
            () -> calls.awaitWithShortTimeout(gateName));
    // The caller's deadline starts before the server's, which counts from the request's arrival:
    // the service returns once the server's has passed too, and the interceptor sees it then.
    Await.until(
        Duration.ofSeconds(10),
        "the server's deadline to pass",
        () -> deadlines.size() == 1 && deadlines.get(0).isExpired());
    impl.open(gateName);

    assertThat(seen).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    Outcome outcome = outcomeOf("awaitWithShortTimeout");
    assertThat(outcome.status().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(outcome.nanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
  }

  @ParameterizedTest
  @EnumSource(Port.class)
  void refusalOfAnInnerInterceptorIsSeenByTheOuterOne(Port port) throws Exception {
    assertThat(call(port, "people", "[1]", () -> calls.people(1)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);

    Outcome outcome = outcomeOf("people");
    assertThat(outcome.status()).isEqualTo(Status.UNAUTHENTICATED.withDescription("not for you"));
    assertThat(outcome.nanos()).isPositive();
    assertThat(impl.executions("people")).isZero();
    // The first registered is the outermost: it ran first, and the inner one saw what it passed.
    assertThat(order).containsExactly("timing", "gate saw alice@acme");
  }

  @ParameterizedTest
  @EnumSource(Port.class)
  void callRefusedByMaxConcurrentCallsIsSeenOnTheIoThread(Port port) throws Exception {
    String gateName = "busy-" + port;
    CompletableFuture<?> first =
        port == Port.BINARY
            ? CompletableFuture.supplyAsync(() -> calls.await(gateName))
            : http.sendAsync(
                post("test.Calls:1", "await", "[\"" + gateName + "\"]"), BodyHandlers.ofString());
    Await.until(
        Duration.ofSeconds(10), "the first call to run", () -> impl.executions("await") == 1);

    Status.Code second = call(port, "await", "[\"" + gateName + "\"]", () -> calls.await(gateName));
    impl.open(gateName);
    first.get(10, TimeUnit.SECONDS);

    assertThat(second).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    Await.until(Duration.ofSeconds(10), "both outcomes", () -> outcomes.size() == 2);
    Outcome refused = outcomes.stream().filter(o -> !o.status().isOk()).findFirst().orElseThrow();
    assertThat(refused.status())
        .isEqualTo(
            Status.RESOURCE_EXHAUSTED.withDescription(
                "too many concurrent calls: CallsService.await allows 1 at once on this server;"
                    + " try again later"));
    assertThat(refused.nanos()).isPositive();
    assertThat(refused.thread()).startsWith("minirpc-server-io");
    assertThat(impl.executions("await")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Port.class)
  void attachmentsAndValuesAnInterceptorAddsReachTheService(Port port) throws Exception {
    String who;
    if (port == Port.BINARY) {
      who = client.stub(WhoService.class).who();
    } else {
      HttpResponse<String> response =
          http.send(post("test.Who", "who", "[]"), BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      who = new ObjectMapper().readTree(response.body()).asText();
    }

    assertThat(who).isEqualTo("alice@acme");
    assertThat(outcomeOf("who").status()).isEqualTo(Status.OK);
  }

  @Test
  void restServiceListingPassesTheInterceptors() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.restPort() + "/"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Outcome outcome = outcomeOf("listServices");
    assertThat(outcome.service()).isEqualTo(ServerInterceptor.REFLECTION_SERVICE);
    assertThat(outcome.status()).isEqualTo(Status.OK);
    assertThat(order).containsExactly("timing", "gate saw alice@acme");
  }
}
