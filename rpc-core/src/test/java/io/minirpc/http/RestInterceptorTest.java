package io.minirpc.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minirpc.ServerCallContext;
import io.minirpc.ServerInterceptor;
import io.minirpc.Status;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.CallsServiceImpl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Interceptors and attachments over the REST bridge: headers in, the same checks, HTTP out. */
class RestInterceptorTest {

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final List<ServerCallContext> seen = new CopyOnWriteArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private RpcServer server;

  @BeforeEach
  void start() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .maxAttachments(3)
            .addService(impl)
            .intercept(
                (call, next) -> {
                  seen.add(call);
                  if ("no".equals(call.attachments().get("verdict"))) {
                    throw Status.PERMISSION_DENIED.withDescription("denied").asException();
                  }
                  if ("boom".equals(call.attachments().get("verdict"))) {
                    throw new IllegalStateException("bug");
                  }
                  return next.proceed(call);
                })
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> add(String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.restPort() + "/test.Calls:1/add"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(BodyPublishers.ofString("[40, 2]"));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void authorizationAndAttachmentHeadersBecomeAttachments() throws Exception {
    HttpResponse<String> response =
        add(
            "Authorization", "Token t",
            "X-Minirpc-Attachment-Tenant", "acme",
            "X-Other", "not an attachment");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    ServerCallContext call = seen.get(0);
    assertThat(call.service()).isEqualTo("test.Calls:1");
    assertThat(call.method()).isEqualTo("add");
    assertThat(call.attachments().asMap())
        .containsOnlyKeys("authorization", "tenant")
        .containsEntry("authorization", "Token t")
        .containsEntry("tenant", "acme");
    assertThat(call.remoteAddress()).isNotNull();
  }

  @Test
  void refusalIsAnsweredWithTheHttpStatusOfItsCode() throws Exception {
    HttpResponse<String> response = add("X-Minirpc-Attachment-Verdict", "no");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(json(response).get("code").asText()).isEqualTo("PERMISSION_DENIED");
    assertThat(json(response).get("message").asText()).isEqualTo("denied");
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void interceptorThatThrowsIsAnswered500AndTheConnectionServesOn() throws Exception {
    HttpResponse<String> response = add("X-Minirpc-Attachment-Verdict", "boom");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(json(response).get("code").asText()).isEqualTo("INTERNAL");
    assertThat(add().statusCode()).isEqualTo(200);
  }

  @Test
  void callHasTheDeadlineOfItsTimeoutHeader() throws Exception {
    HttpResponse<String> response = add("X-Minirpc-Timeout-Ms", "1500");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(seen.get(0).deadline()).isPresent();
    assertThat(seen.get(0).timeRemaining())
        .isLessThanOrEqualTo(Duration.ofMillis(1500))
        .isPositive();
  }

  @Test
  void serviceListingPassesTheInterceptors() throws Exception {
    HttpResponse<String> listing =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.restPort() + "/"))
                .header("X-Minirpc-Attachment-Tenant", "acme")
                .timeout(Duration.ofSeconds(10))
                .build(),
            BodyHandlers.ofString());
    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.restPort() + "/services"))
                .header("X-Minirpc-Attachment-Verdict", "no")
                .timeout(Duration.ofSeconds(10))
                .build(),
            BodyHandlers.ofString());

    assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
    assertThat(json(listing).get("services").get(0).get("name").asText()).isEqualTo("test.Calls");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(json(refused).get("message").asText()).isEqualTo("denied");
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).service()).isEqualTo(ServerInterceptor.REFLECTION_SERVICE);
    assertThat(seen.get(0).method()).isEqualTo("listServices");
    assertThat(seen.get(0).attachments().get("tenant")).isEqualTo("acme");
    assertThat(seen.get(0).deadline()).isEmpty();
  }

  @Test
  void moreAttachmentHeadersThanTheLimitAreAnswered431() throws Exception {
    HttpResponse<String> response =
        add(
            "Authorization", "a",
            "X-Minirpc-Attachment-B", "b",
            "X-Minirpc-Attachment-C", "c",
            "X-Minirpc-Attachment-D", "d");

    assertThat(response.statusCode()).isEqualTo(431);
    assertThat(json(response).get("code").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(json(response).get("message").asText())
        .isEqualTo("the request carries 4 attachments, over this server's limit of 3");
    assertThat(seen).isEmpty();
  }

  @Test
  void attachmentHeaderWithAnInvalidKeyIsAnswered400() throws Exception {
    HttpResponse<String> response = add("X-Minirpc-Attachment-T+x", "v");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("message").asText())
        .isEqualTo(
            "header X-Minirpc-Attachment-T+x does not name a valid attachment key: 1 to 255 ASCII"
                + " letters, digits, '-', '_' or '.'");
    assertThat(seen).isEmpty();
  }
}
