package io.minirpc.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minirpc.ServerCallContext;
import io.minirpc.ServerInterceptor;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /health} and {@code GET /health/<service key>} on the REST bridge: 200 SERVING, 503
 * NOT_SERVING, 404 for a service not exported; through the interceptors as over the minirpc
 * protocol.
 */
class RestHealthTest {

  private static final String CALLS = "test.Calls:1";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<ServerCallContext> seen = new CopyOnWriteArrayList<>();
  private final List<Status> outcomes = new CopyOnWriteArrayList<>();
  private RpcServer server;

  private RpcServer start(ServerInterceptor... interceptors) {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .addService(new CallsServiceImpl())
            .intercept(interceptors)
            .build()
            .start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Records each call and its outcome; refuses those with attachment {@code verdict: no}. */
  private ServerInterceptor recording() {
    return (call, next) -> {
      seen.add(call);
      if ("no".equals(call.attachments().get("verdict"))) {
        throw Status.PERMISSION_DENIED.withDescription("denied").asException();
      }
      return next.proceed(call)
          .whenComplete((result, failure) -> outcomes.add(Status.fromThrowable(failure)));
    };
  }

  private HttpSocket.Response get(String path, String... headerLines) throws Exception {
    try (HttpSocket socket = new HttpSocket(server.restPort())) {
      socket.write(request("GET", path, headerLines));
      return socket.read();
    }
  }

  private static String request(String method, String path, String... headerLines) {
    StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: test\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  private static JsonNode json(HttpSocket.Response response) throws Exception {
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void healthOfAServingServerIs200Serving() throws Exception {
    start();

    HttpSocket.Response response = get("/health");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).isEqualTo("application/json");
    assertThat(response.body()).isEqualTo("{\"status\":\"SERVING\"}\n");
  }

  @Test
  void healthOfAServerSetNotServingIs503NotServing() throws Exception {
    start();
    server.health().setStatus(Health.SERVER, ServingStatus.NOT_SERVING);

    HttpSocket.Response response = get("/health");

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("{\"status\":\"NOT_SERVING\"}\n");
    assertThat(get("/health/" + CALLS).status()).isEqualTo(200);
  }

  @Test
  void healthOfAServiceFollowsItsStatus() throws Exception {
    start();
    assertThat(get("/health/" + CALLS).body()).isEqualTo("{\"status\":\"SERVING\"}\n");

    server.health().setStatus(CallsService.class, ServingStatus.NOT_SERVING);

    HttpSocket.Response response = get("/health/" + CALLS);
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("{\"status\":\"NOT_SERVING\"}\n");
    assertThat(get("/health").status()).isEqualTo(200);
  }

  @Test
  void serviceKeyMayBePercentEncoded() throws Exception {
    start();

    assertThat(get("/health/test.Calls%3A1?probe=1").status()).isEqualTo(200);
  }

  @Test
  void healthOfAnUnknownServiceIs404() throws Exception {
    start();

    HttpSocket.Response response = get("/health/test.Nope");

    assertThat(response.status()).isEqualTo(404);
    assertThat(json(response).get("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(json(response).get("message").asText())
        .isEqualTo("no service 'test.Nope' on this server to check the health of");
  }

  @Test
  void aPathThatOnlyStartsLikeHealthIsNotAHealthCheck() throws Exception {
    start();

    HttpSocket.Response response = get("/healthz");

    assertThat(response.status()).isEqualTo(404);
    assertThat(json(response).get("message").asText())
        .isEqualTo("no service 'healthz' on this server; GET / lists the services");
  }

  @Test
  void headIsAnsweredWithoutABody() throws Exception {
    start();
    try (HttpSocket socket = new HttpSocket(server.restPort())) {
      socket.write(request("HEAD", "/health"));
      HttpSocket.Response response = socket.readHead();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEmpty();
      // Still in step: the next answer on the connection is the next request's.
      socket.write(request("GET", "/health/test.Nope"));
      assertThat(socket.read().status()).isEqualTo(404);
    }
  }

  @Test
  void postIsRefusedWith405() throws Exception {
    start();
    try (HttpSocket socket = new HttpSocket(server.restPort())) {
      socket.write(HttpSocket.post("/health", "[]"));
      HttpSocket.Response response = socket.read();

      assertThat(response.status()).isEqualTo(405);
      assertThat(response.header("Allow")).isEqualTo("GET, HEAD");
      assertThat(json(response).get("message").asText())
          .isEqualTo("the health check answers GET, not POST");
    }
  }

  @Test
  void theHealthServiceIsNeitherListedNorCallableAsAMethod() throws Exception {
    start();

    JsonNode services = json(get("/")).get("services");
    assertThat(services).hasSize(1);
    assertThat(services.get(0).get("name").asText()).isEqualTo("test.Calls");
    try (HttpSocket socket = new HttpSocket(server.restPort())) {
      socket.write(HttpSocket.post("/minirpc.Health/check", "[\"\"]"));
      assertThat(socket.read().status()).isEqualTo(404);
    }
  }

  @Test
  void aServerWhoseExecutorIsFullStillAnswersItsProbes() throws Exception {
    CallsServiceImpl impl = new CallsServiceImpl();
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .workerThreads(1)
            .workerQueueSize(1)
            .addService(impl)
            .intercept(recording())
            .build()
            .start();
    try (HttpSocket running = new HttpSocket(server.restPort());
        HttpSocket queued = new HttpSocket(server.restPort())) {
      running.write(HttpSocket.post("/test.Calls:1/await", "[\"full\"]"));
      Await.until(WAIT, "the first call to run", () -> impl.executions("await") == 1);
      queued.write(HttpSocket.post("/test.Calls:1/await", "[\"full\"]"));
      Await.until(WAIT, "the second call to wait", () -> server.inFlightCalls() == 2);
      try (HttpSocket refused = new HttpSocket(server.restPort())) {
        refused.write(HttpSocket.post("/test.Calls:1/echo", "[\"hi\"]"));
        HttpSocket.Response busy = refused.read();
        assertThat(busy.status()).isEqualTo(503);
        assertThat(json(busy).get("code").asText()).isEqualTo("RESOURCE_EXHAUSTED");
      }

      HttpSocket.Response probe = get("/health");

      assertThat(probe.status()).isEqualTo(200);
      assertThat(probe.body()).isEqualTo("{\"status\":\"SERVING\"}\n");
      impl.open("full");
      assertThat(running.read().status()).isEqualTo(200);
      assertThat(queued.read().status()).isEqualTo(200);
    }
  }

  @Test
  void interceptorsSeeHealthChecksAsOverTheMinirpcProtocol() throws Exception {
    start(recording());

    assertThat(get("/health").status()).isEqualTo(200);
    assertThat(get("/health/test.Nope").status()).isEqualTo(404);
    try (RpcClient client = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build()) {
      assertThat(client.stub(Health.class).check(CALLS)).isEqualTo(ServingStatus.SERVING);
    }

    assertThat(seen).hasSize(3);
    assertThat(seen).extracting(ServerCallContext::service).containsOnly(Health.SERVICE);
    assertThat(seen).extracting(ServerCallContext::method).containsOnly("check");
    assertThat(outcomes)
        .extracting(Status::code)
        .containsExactly(Status.Code.OK, Status.Code.NOT_FOUND, Status.Code.OK);
  }

  @Test
  void interceptorSeesTheHeadersAsAttachmentsAndMayRefuse() throws Exception {
    start(recording());

    HttpSocket.Response response = get("/health", "X-Minirpc-Attachment-Verdict: no");

    assertThat(response.status()).isEqualTo(403);
    assertThat(json(response).get("code").asText()).isEqualTo("PERMISSION_DENIED");
    assertThat(seen.get(0).attachments().get("verdict")).isEqualTo("no");
    assertThat(outcomes).isEmpty();
  }

  @Test
  void interceptorThatThrowsIsAnswered500() throws Exception {
    start(
        (call, next) -> {
          throw new IllegalStateException("bug");
        });

    HttpSocket.Response response = get("/health");

    assertThat(response.status()).isEqualTo(500);
    assertThat(json(response).get("code").asText()).isEqualTo("INTERNAL");
  }

  @Test
  void interceptorThatReplacesTheStatusWithSomethingElseIsAnswered500() throws Exception {
    start((call, next) -> next.proceed(call).thenApply(status -> "fine"));

    HttpSocket.Response response = get("/health");

    assertThat(response.status()).isEqualTo(500);
    assertThat(json(response).get("message").asText())
        .isEqualTo(
            "an interceptor answered the health check with a java.lang.String, not a"
                + " ServingStatus");
  }

  @Test
  void interceptorThatAnswersLaterIsWaitedFor() throws Exception {
    start(
        (call, next) ->
            CompletableFuture.supplyAsync(() -> null).thenCompose(ignored -> next.proceed(call)));

    assertThat(get("/health").body()).isEqualTo("{\"status\":\"SERVING\"}\n");
  }

  @Test
  void attachmentHeadersOverTheLimitAreRefusedBeforeTheInterceptors() throws Exception {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .maxAttachments(1)
            .addService(new CallsServiceImpl())
            .intercept(recording())
            .build()
            .start();

    HttpSocket.Response response =
        get("/health", "X-Minirpc-Attachment-A: 1", "X-Minirpc-Attachment-B: 2");

    assertThat(response.status()).isEqualTo(431);
    assertThat(seen).isEmpty();
  }
}
