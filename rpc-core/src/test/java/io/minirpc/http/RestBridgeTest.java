package io.minirpc.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.Person;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls over the REST bridge: each kind of method, the service listing, and each failure. */
class RestBridgeTest {

  private static final ObjectMapper JSON =
      JsonMapper.builder().addModule(new JavaTimeModule()).build();

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private RpcServer server;

  @BeforeEach
  void start() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .maxFrameSize(64 * 1024)
            .addService(impl)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.restPort() + path);
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(json)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static void assertError(
      HttpResponse<String> response, int status, String code, String message) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode error = json(response);
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isEqualTo(message);
  }

  @Test
  void syncMethodAnswersItsResultAsJson() throws Exception {
    HttpResponse<String> response = post("/test.Calls:1/add", "[2, 3]");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo("5");
  }

  @Test
  void objectsTravelAsTheirDeclaredTypes() throws Exception {
    Person person = Person.sample(7);
    String body = JSON.writeValueAsString(List.of(person));
    HttpResponse<String> response = post("/test.Calls:1/person", body);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readValue(response.body(), Person.class)).isEqualTo(person);
  }

  @Test
  void asyncMethodAnswersWhenItsFutureCompletes() throws Exception {
    HttpResponse<String> response = post("/test.Calls:1/echoAsync", "[\"later\"]");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("\"later\"");
  }

  @Test
  void voidMethodAnswersNull() throws Exception {
    HttpResponse<String> response = post("/test.Calls:1/record", "[\"saved\"]");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("null");
    assertThat(impl.events()).containsExactly("saved");
  }

  @Test
  void asyncVoidMethodAnswersNull() throws Exception {
    HttpResponse<String> response = post("/test.Calls:1/recordAsync", "[\"saved later\"]");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("null");
    assertThat(impl.events()).containsExactly("saved later");
  }

  @Test
  void unicodeTravelsIntact() throws Exception {
    String text = "Zoë Ünal, 你好, 🎉";
    HttpResponse<String> response =
        post("/test.Calls:1/echo", JSON.writeValueAsString(List.of(text)));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readValue(response.body(), String.class)).isEqualTo(text);
  }

  @Test
  void percentEncodedPathFindsTheMethod() throws Exception {
    HttpResponse<String> response = post("/test.Calls%3A1/add?trace=1", "[1, 1]");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("2");
  }

  @Test
  void listingNamesEveryMethodWithItsTypes() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/")).GET());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode service = json(response).get("services").get(0);
    assertThat(service.get("name").asText()).isEqualTo("test.Calls");
    assertThat(service.get("version").asText()).isEqualTo("1");
    JsonNode methods = service.get("methods");
    assertThat(methods.findValuesAsText("name"))
        .containsExactly(
            "add",
            "await",
            "awaitWithShortTimeout",
            "count",
            "echo",
            "echoAsync",
            "fail",
            "failWithStatus",
            "fire",
            "oddPerson",
            "people",
            "person",
            "plusDays",
            "record",
            "recordAsync",
            "reverse",
            "sized");
    JsonNode add = methods.get(0);
    assertThat(add.get("path").asText()).isEqualTo("/test.Calls:1/add");
    assertThat(add.get("parameters").toString()).isEqualTo("[\"int\",\"int\"]");
    assertThat(add.get("returns").asText()).isEqualTo("int");
    assertThat(add.get("timeoutMs").asLong()).isEqualTo(3000);
    JsonNode count = methods.get(3);
    assertThat(count.get("parameters").get(0).asText())
        .isEqualTo("java.util.List<java.lang.String>");
    assertThat(count.get("returns").asText())
        .isEqualTo("java.util.Map<java.lang.String, java.lang.Integer>");
    assertThat(methods.get(2).get("timeoutMs").asLong()).isEqualTo(300);
    assertThat(methods.get(5).get("returns").asText()).isEqualTo("java.lang.String");
  }

  @Test
  void servicesPathListsTheSame() throws Exception {
    String root = send(HttpRequest.newBuilder(uri("/")).GET()).body();
    HttpResponse<String> services = send(HttpRequest.newBuilder(uri("/services")).GET());
    assertThat(services.statusCode()).isEqualTo(200);
    assertThat(services.body()).isEqualTo(root);
  }

  @Test
  void malformedJsonIsABadRequest() throws Exception {
    HttpResponse<String> response = post("/test.Calls:1/add", "[1,");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = json(response);
    assertThat(error.get("code").asText()).isEqualTo("SERIALIZATION");
    assertThat(error.get("message").asText())
        .startsWith("could not decode the arguments of CallsService.add: could not read");
  }

  @Test
  void wrongArgumentCountIsABadRequest() throws Exception {
    assertError(
        post("/test.Calls:1/add", "[1]"),
        400,
        "SERIALIZATION",
        "could not decode the arguments of CallsService.add: could not read the arguments of"
            + " CallsService.add: expected 2 arguments, got 1");
  }

  @Test
  void emptyBodyStandsForNoArguments() throws Exception {
    assertError(
        post("/test.Calls:1/echo", ""),
        400,
        "SERIALIZATION",
        "could not decode the arguments of CallsService.echo: could not read the arguments of"
            + " CallsService.echo: expected 1 arguments, got 0");
  }

  @Test
  void unknownServiceIsNotFound() throws Exception {
    assertError(
        post("/test.Nothing/nothing", "[]"),
        404,
        "NOT_FOUND",
        "no service 'test.Nothing' on this server; GET / lists the services");
  }

  @Test
  void unknownMethodIsNotFound() throws Exception {
    assertError(
        post("/test.Calls:1/missing", "[]"),
        404,
        "NOT_FOUND",
        "service 'test.Calls:1' has no method 'missing'");
  }

  @Test
  void serviceWithoutMethodIsNotFound() throws Exception {
    assertError(
        post("/test.Calls:1", "[]"),
        404,
        "NOT_FOUND",
        "name a method of service 'test.Calls:1': POST /test.Calls:1/<method>");
  }

  @Test
  void getOfAMethodIsNotAllowed() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/test.Calls:1/add")).GET());
    assertError(
        response,
        405,
        "UNIMPLEMENTED",
        "call a method with POST, not GET; GET / lists the methods");
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void postOfTheListingIsNotAllowed() throws Exception {
    HttpResponse<String> response = post("/", "[]");
    assertError(response, 405, "UNIMPLEMENTED", "the service listing answers GET, not POST");
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void bodyThatIsNotJsonIsUnsupported() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/test.Calls:1/add"))
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString("[1, 2]")));
    assertError(
        response,
        415,
        "INVALID_ARGUMENT",
        "send the arguments as a JSON array with Content-Type: application/json, not text/plain");
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void bodyWithoutContentTypeIsUnsupported() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/test.Calls:1/add"))
                .POST(BodyPublishers.ofString("[1, 2]")));
    assertError(
        response,
        415,
        "INVALID_ARGUMENT",
        "send the arguments as a JSON array with Content-Type: application/json");
  }

  @Test
  void jsonWithCharsetAndVendorTypesIsAccepted() throws Exception {
    for (String type : List.of("application/json; charset=utf-8", "application/vnd.x+json")) {
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(uri("/test.Calls:1/add"))
                  .header("Content-Type", type)
                  .POST(BodyPublishers.ofString("[1, 2]")));
      assertThat(response.statusCode()).as(type).isEqualTo(200);
    }
  }

  @Test
  void serviceExceptionIsAServerErrorWithItsType() throws Exception {
    HttpResponse<String> response = post("/test.Calls:1/fail", "[\"the disk is full\"]");
    assertError(response, 500, "APPLICATION_ERROR", "the disk is full");
    assertThat(json(response).get("type").asText()).isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void statusChosenByTheServiceMapsToItsHttpStatus() throws Exception {
    assertError(
        post("/test.Calls:1/failWithStatus", "[\"PERMISSION_DENIED\", \"not yours\"]"),
        403,
        "PERMISSION_DENIED",
        "not yours");
    assertError(
        post("/test.Calls:1/failWithStatus", "[\"UNAUTHENTICATED\", \"who are you\"]"),
        401,
        "UNAUTHENTICATED",
        "who are you");
  }

  @Test
  void timeoutHeaderThatIsNotANumberIsABadRequest() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/test.Calls:1/add"))
                .header("Content-Type", "application/json")
                .header("X-Minirpc-Timeout-Ms", "soon")
                .POST(BodyPublishers.ofString("[1, 2]")));
    assertError(
        response,
        400,
        "INVALID_ARGUMENT",
        "X-Minirpc-Timeout-Ms must be a whole number of milliseconds from 1 to 2147483647, not"
            + " 'soon'");
  }

  @Test
  void restPortFailsClearlyWhenTheBridgeIsNotEnabled() {
    try (RpcServer plain = RpcServer.builder().host("127.0.0.1").addService(impl).build()) {
      assertThat(
              org.assertj.core.api.Assertions.catchThrowableOfType(
                  IllegalStateException.class, plain::restPort))
          .hasMessage(
              "the REST bridge is not enabled; enable it with RpcServer.builder().restPort(..)");
    }
  }

  @Test
  void restPortFailsClearlyBeforeStart() {
    try (RpcServer notStarted =
        RpcServer.builder().host("127.0.0.1").restPort(0).addService(impl).build()) {
      assertThat(
              org.assertj.core.api.Assertions.catchThrowableOfType(
                  IllegalStateException.class, notStarted::restPort))
          .hasMessage("the server is not started");
    }
  }
}
