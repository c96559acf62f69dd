package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minirpc.auth.HmacAuthenticator;
import io.minirpc.auth.HmacCredentials;
import io.minirpc.client.RpcClient;
import io.minirpc.reflection.Reflection;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.CallsServiceImpl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reflection service over the minirpc protocol, against a real server on 127.0.0.1: the same
 * listing as the REST bridge's {@code GET /}, one service described, NOT_FOUND for what is not
 * listed, switched off, seen by interceptors and refused unsigned by HMAC.
 */
class ReflectionServiceTest {

  @RpcService(name = "test.Other")
  interface OtherService {
    String ping();
  }

  static final class OtherServiceImpl implements OtherService {
    @Override
    public String ping() {
      return "pong";
    }
  }

  @RpcService(name = Reflection.SERVICE)
  interface Impostor {
    String listServices();
  }

  private final List<RpcClient> clients = new ArrayList<>();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper mapper = new ObjectMapper();
  private RpcServer server;

  @AfterEach
  void stop() {
    clients.forEach(RpcClient::close);
    if (server != null) {
      server.close();
    }
  }

  private RpcServer.Builder serverBuilder() {
    return RpcServer.builder()
        .host("127.0.0.1")
        .restPort(0)
        .addService(new CallsServiceImpl())
        .addService(new OtherServiceImpl());
  }

  private Reflection reflection(ClientInterceptor... interceptors) {
    return reflection(RpcClient.builder().intercept(interceptors));
  }

  private Reflection reflection(RpcClient.Builder builder) {
    RpcClient client = builder.addresses("127.0.0.1:" + server.port()).build();
    clients.add(client);
    return client.stub(Reflection.class);
  }

  private HttpResponse<String> restListing() throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.restPort() + "/")).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Test
  void listServicesEqualsTheRestListingWithKryoAndJson() throws Exception {
    server = serverBuilder().build().start();
    String rest = restListing().body();

    assertThat(reflection().listServices()).isEqualTo(rest);
    assertThat(reflection(RpcClient.builder().serializer(JsonSerializer.create())).listServices())
        .isEqualTo(rest);
    JsonNode services = mapper.readTree(rest).get("services");
    assertThat(services)
        .extracting(s -> s.get("name").asText())
        .containsExactly("test.Calls", "test.Other");
  }

  @Test
  void describeAnswersTheServiceAsTheListingHasIt() throws Exception {
    server = serverBuilder().build().start();
    Reflection reflection = reflection();

    JsonNode calls = mapper.readTree(reflection.describe("test.Calls:1"));

    assertThat(calls).isEqualTo(mapper.readTree(reflection.listServices()).get("services").get(0));
    assertThat(calls.get("version").asText()).isEqualTo("1");
    JsonNode add = null;
    for (JsonNode m : calls.get("methods")) {
      if (m.get("name").asText().equals("add")) {
        add = m;
      }
    }
    assertThat(add.get("parameters")).extracting(JsonNode::asText).containsExactly("int", "int");
    assertThat(add.get("returns").asText()).isEqualTo("int");
    assertThat(
            mapper
                .readTree(reflection.describe("test.Other"))
                .get("methods")
                .get(0)
                .get("path")
                .asText())
        .isEqualTo("/test.Other/ping");
  }

  @Test
  void describeOfAnUnknownServiceFailsWithNotFound() {
    server = serverBuilder().build().start();

    RpcException e =
        catchThrowableOfType(RpcException.class, () -> reflection().describe("test.Calls"));

    assertThat(e.status())
        .isEqualTo(
            Status.NOT_FOUND.withDescription(
                "no service 'test.Calls' on this server; it exports [test.Calls:1, test.Other]"));
  }

  @Test
  void builtInServicesAreNeitherListedNorDescribed() throws Exception {
    server = serverBuilder().build().start();
    Reflection reflection = reflection();

    assertThat(reflection.listServices()).doesNotContain("\"minirpc.");
    for (String builtIn : List.of("minirpc.Health", "minirpc.Reflection")) {
      assertThat(
              catchThrowableOfType(RpcException.class, () -> reflection.describe(builtIn)).status())
          .isEqualTo(
              Status.NOT_FOUND.withDescription(
                  builtIn
                      + " is built into every server and not described by reflection; see its"
                      + " interface in rpc-api"));
    }
  }

  @Test
  void switchedOffTheServiceIsNotFoundAndTheRestListingIs404() throws Exception {
    server = serverBuilder().reflection(false).build().start();

    RpcException e = catchThrowableOfType(RpcException.class, () -> reflection().listServices());

    assertThat(e.status())
        .isEqualTo(
            Status.NOT_FOUND.withDescription("no service 'minirpc.Reflection' on this server"));
    assertThat(restListing().statusCode()).isEqualTo(404);
  }

  @Test
  void interceptorsSeeReflectionCalls() {
    server =
        serverBuilder()
            .intercept(
                (call, next) -> {
                  seen.add(call.service() + "/" + call.method());
                  return next.proceed(call);
                })
            .build()
            .start();
    Reflection reflection = reflection();

    reflection.listServices();
    reflection.describe("test.Other");

    assertThat(seen)
        .containsExactly("minirpc.Reflection/listServices", "minirpc.Reflection/describe");
  }

  @Test
  void hmacRefusesUnsignedReflectionAndServesSignedReflection() {
    byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    server =
        serverBuilder()
            .intercept(
                HmacAuthenticator.builder()
                    .key("billing", secret)
                    .maxClockSkew(Duration.ofMinutes(5))
                    .build())
            .build()
            .start();

    RpcException e = catchThrowableOfType(RpcException.class, () -> reflection().listServices());

    assertThat(e.status())
        .isEqualTo(
            Status.UNAUTHENTICATED.withDescription(
                "missing credential: this server requires an 'authorization' attachment (the"
                    + " Authorization header over REST) of the MINIRPC-HMAC-SHA256 scheme"));
    assertThat(reflection(HmacCredentials.of("billing", secret)).describe("test.Other"))
        .contains("\"ping\"");
  }

  @Test
  void aServiceNamedLikeTheReflectionServiceIsRefused() {
    assertThatThrownBy(() -> RpcServer.builder().addService(Impostor.class, () -> ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            Impostor.class.getName()
                + " is named minirpc.Reflection, the name of the reflection service every server"
                + " may serve by itself");
  }
}
