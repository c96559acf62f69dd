package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.minirpc.auth.HmacAuthenticator;
import io.minirpc.auth.HmacCredentials;
import io.minirpc.client.GenericClient;
import io.minirpc.client.RpcClient;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.CallsServiceImpl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generic calls end to end, against real servers on 127.0.0.1 that know nothing of them: JSON
 * arguments read with the method's declared types, results as JSON, sync and async, options, the
 * client's interceptors, and every way such a call fails.
 */
class GenericClientTest {

  private static final String CALLS = "test.Calls:1";

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final List<String> served = new CopyOnWriteArrayList<>();
  private final List<RpcServer> servers = new ArrayList<>();
  private final List<RpcClient> clients = new ArrayList<>();
  private RpcServer server;

  @BeforeEach
  void start() {
    server =
        startServer(
            impl,
            (call, next) -> {
              served.add(
                  call.method()
                      + " "
                      + java.util.Objects.requireNonNullElse(
                          call.attachments().get("tenant"), "-"));
              return next.proceed(call);
            });
  }

  private RpcServer startServer(CallsServiceImpl calls, ServerInterceptor interceptor) {
    RpcServer s =
        RpcServer.builder()
            .host("127.0.0.1")
            .addService(calls)
            .intercept(interceptor)
            .build()
            .start();
    servers.add(s);
    return s;
  }

  @AfterEach
  void stop() {
    clients.forEach(RpcClient::close);
    servers.forEach(RpcServer::close);
  }

  private GenericClient generic(ClientInterceptor... interceptors) {
    return generic(RpcClient.builder().addresses("127.0.0.1:" + server.port()), interceptors);
  }

  private GenericClient generic(RpcClient.Builder builder, ClientInterceptor... interceptors) {
    RpcClient client = builder.serializer(JsonSerializer.create()).intercept(interceptors).build();
    clients.add(client);
    return GenericClient.of(client);
  }

  private static Status failureOf(Runnable call) {
    return catchThrowableOfType(RpcException.class, call::run).status();
  }

  @Test
  void invokeAnswersTheResultAsJson() {
    GenericClient generic = generic();

    assertThat(generic.invoke(CALLS, "add", "[40, 2]").intValue()).isEqualTo(42);
    assertThat(generic.invoke(CALLS, "echo", "[\"hi\"]").textValue()).isEqualTo("hi");
    JsonNode person =
        generic.invoke(
            CALLS, "person", "[{\"id\": 7, \"name\": \"Ada\", \"birthday\": \"1815-12-10\"}]");
    assertThat(person.get("id").longValue()).isEqualTo(7);
    assertThat(person.get("name").textValue()).isEqualTo("Ada");
    assertThat(generic.invoke(CALLS, "count", "[[\"a\", \"b\", \"a\"]]").get("a").intValue())
        .isEqualTo(2);
    assertThat(generic.invoke(CALLS, "record", "[\"event\"]").isNull()).isTrue();
    assertThat(impl.events()).containsExactly("event");
  }

  @Test
  void invokeAsyncCompletesWithTheResult() throws Exception {
    GenericClient generic = generic();

    assertThat(generic.invokeAsync(CALLS, "add", "[1, 2]").get(5, TimeUnit.SECONDS).intValue())
        .isEqualTo(3);
    assertThat(
            generic
                .invokeAsync(CALLS, "echoAsync", "[\"later\"]")
                .get(5, TimeUnit.SECONDS)
                .textValue())
        .isEqualTo("later");
  }

  @Test
  void aOneWayMethodCalledGenericallyIsAnsweredNull() {
    assertThat(generic().invoke(CALLS, "fire", "[\"shot\"]").isNull()).isTrue();
    assertThat(impl.events()).containsExactly("shot");
  }

  @Test
  void optionsGiveTheTimeoutAndAttachments() {
    GenericClient generic = generic();

    generic.invoke(CALLS, "add", "[1, 1]", CallOptions.DEFAULT.withAttachment("tenant", "acme"));
    Status timedOut =
        failureOf(
            () ->
                generic.invoke(
                    CALLS,
                    "await",
                    "[\"never\"]",
                    CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200))));
    impl.open("never");

    assertThat(served).startsWith("add acme");
    assertThat(timedOut.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void clientInterceptorsSeeTheCallWithItsJsonArguments() {
    List<String> seen = new CopyOnWriteArrayList<>();
    GenericClient generic =
        generic(
            (request, next) -> {
              seen.add(request.service() + "/" + request.method() + " " + request.arguments());
              return next.proceed(request);
            });

    generic.invoke(CALLS, "add", "[40, 2]");

    assertThat(seen).containsExactly("test.Calls:1/add [[40,2]]");
  }

  @Test
  void unknownServiceFailsWithNotFound() {
    assertThat(failureOf(() -> generic().invoke("test.Nope", "add", "[]")))
        .isEqualTo(Status.NOT_FOUND.withDescription("no service 'test.Nope' on this server"));
  }

  @Test
  void unknownMethodFailsWithNotFound() {
    assertThat(failureOf(() -> generic().invoke(CALLS, "subtract", "[1, 2]")))
        .isEqualTo(
            Status.NOT_FOUND.withDescription("service 'test.Calls:1' has no method 'subtract'"));
  }

  @Test
  void badJsonFailsWithInvalidArgumentAndIsNeverSent() {
    GenericClient generic = generic();

    Status status = failureOf(() -> generic.invoke(CALLS, "add", "[40, "));
    Status asyncStatus =
        catchThrowableOfType(
                        CompletionException.class,
                        () -> generic.invokeAsync(CALLS, "add", "{").join())
                    .getCause()
                instanceof RpcException e
            ? e.status()
            : null;

    assertThat(status.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.description())
        .startsWith("the arguments of test.Calls:1/add are not JSON: ")
        .endsWith("; nothing was sent");
    assertThat(asyncStatus.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(served).isEmpty();
  }

  @Test
  void argumentsThatAreNotAnArrayFailWithInvalidArgument() {
    assertThat(failureOf(() -> generic().invoke(CALLS, "add", "{\"a\": 1}")))
        .isEqualTo(
            Status.INVALID_ARGUMENT.withDescription(
                "the arguments of test.Calls:1/add must be a JSON array, one element per"
                    + " parameter, not OBJECT; nothing was sent"));
    assertThat(failureOf(() -> generic().invoke(CALLS, "add", "[1, 2] [3]")).code())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(served).isEmpty();
  }

  @Test
  void wrongArityFailsAsTheServerAnswers() {
    assertThat(failureOf(() -> generic().invoke(CALLS, "add", "[1]")))
        .isEqualTo(
            Status.SERIALIZATION.withDescription(
                "could not decode the arguments of CallsService.add: could not read the"
                    + " arguments of CallsService.add: expected 2 arguments, got 1"));
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void wrongTypesFailAsTheServerAnswers() {
    Status status = failureOf(() -> generic().invoke(CALLS, "add", "[\"forty\", 2]"));

    assertThat(status.code()).isEqualTo(Status.Code.SERIALIZATION);
    assertThat(status.description())
        .startsWith(
            "could not decode the arguments of CallsService.add: could not read argument 0 of"
                + " CallsService.add");
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void aFailureAfterSendingIsNotRetriedOnAnotherProvider() {
    List<String> refused = new CopyOnWriteArrayList<>();
    ServerInterceptor unavailable =
        (call, next) -> {
          refused.add(call.method());
          throw Status.UNAVAILABLE.withDescription("down for the test").asException();
        };
    RpcServer first = startServer(new CallsServiceImpl(), unavailable);
    RpcServer second = startServer(new CallsServiceImpl(), unavailable);
    GenericClient generic =
        generic(
            RpcClient.builder()
                .addresses("127.0.0.1:" + first.port(), "127.0.0.1:" + second.port()));

    assertThat(failureOf(() -> generic.invoke(CALLS, "add", "[1, 2]")))
        .isEqualTo(Status.UNAVAILABLE.withDescription("down for the test"));
    assertThat(refused).containsExactly("add");
  }

  @Test
  void hmacCredentialsSignGenericCallsAsAnyCall() {
    byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    server =
        startServer(
            impl,
            HmacAuthenticator.builder()
                .key("billing", secret)
                .maxClockSkew(Duration.ofMinutes(5))
                .build());

    assertThat(
            generic(HmacCredentials.of("billing", secret))
                .invoke(CALLS, "add", "[2, 3]")
                .intValue())
        .isEqualTo(5);
    assertThat(failureOf(() -> generic().invoke(CALLS, "add", "[2, 3]")).code())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(impl.executions("add")).isEqualTo(1);
  }

  @Test
  void aClientWithoutTheJsonSerializerIsRefused() {
    RpcClient kryo = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build();
    clients.add(kryo);

    assertThatThrownBy(() -> GenericClient.of(kryo))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "generic calls need a client with the JSON serializer"
                + " (RpcClient.builder().serializer(JsonSerializer.create())), not kryo");
  }
}
