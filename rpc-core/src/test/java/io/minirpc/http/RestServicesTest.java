package io.minirpc.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minirpc.RpcService;
import io.minirpc.serialize.KryoSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.stream.StreamServiceImpl;
import io.minirpc.testing.CallsServiceImpl;
import org.junit.jupiter.api.Test;

/** Which services the bridge serves, whatever serializers the server's minirpc port accepts. */
class RestServicesTest {

  /** A value whose JSON form would name its class: the JSON serializer refuses it. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
  public static final class Tagged {
    public String name;
  }

  @RpcService(name = "test.Tags")
  public interface TagService {
    String name(Tagged tagged);
  }

  static final class Tags implements TagService {
    @Override
    public String name(Tagged tagged) {
      return tagged.name;
    }
  }

  @Test
  void aStreamMethodIsNotImplementedOverRestAndListedAsAStream() throws Exception {
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .restPort(0)
                .addService(new StreamServiceImpl())
                .build()
                .start();
        HttpSocket socket = new HttpSocket(server.restPort())) {
      socket.write(HttpSocket.post("/test.Streams/count", "[3]"));
      HttpSocket.Response refused = socket.read();
      assertThat(refused.status()).isEqualTo(501);
      JsonNode error = new ObjectMapper().readTree(refused.body());
      assertThat(error.get("message").asText())
          .isEqualTo(
              "service 'test.Streams' cannot be called over REST: StreamService.count streams (it"
                  + " takes or returns a Flow.Publisher); the REST bridge carries unary calls"
                  + " only: call it over the minirpc port");

      socket.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
      JsonNode listing = new ObjectMapper().readTree(socket.read().body());
      JsonNode service = listing.get("services").get(0);
      assertThat(service.has("unavailable")).isFalse();
      JsonNode count = null;
      JsonNode shout = null;
      for (JsonNode method : service.get("methods")) {
        if (method.get("name").asText().equals("count")) {
          count = method;
        } else if (method.get("name").asText().equals("shout")) {
          shout = method;
        }
      }
      assertThat(count.get("returns").asText())
          .isEqualTo("java.util.concurrent.Flow$Publisher<java.lang.Long>");
      assertThat(count.get("streams").asText()).isEqualTo("server");
      assertThat(shout.get("parameters").get(0).asText())
          .isEqualTo("java.util.concurrent.Flow$Publisher<java.lang.String>");
      assertThat(shout.get("streams").asText()).isEqualTo("bidi");
    }
  }

  @Test
  void servicesAreServedOverRestWhenTheServerAcceptsOnlyKryo() throws Exception {
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .restPort(0)
                .serializers(KryoSerializer.create())
                .addService(new CallsServiceImpl())
                .build()
                .start();
        HttpSocket socket = new HttpSocket(server.restPort())) {
      socket.write(HttpSocket.post("/test.Calls:1/add", "[20, 22]"));
      HttpSocket.Response response = socket.read();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("42");
    }
  }

  @Test
  void serviceJsonCannotCarryIsNotImplementedAndListedWithTheReason() throws Exception {
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .restPort(0)
                .addService(new Tags())
                .addService(new CallsServiceImpl())
                .build()
                .start();
        HttpSocket socket = new HttpSocket(server.restPort())) {
      socket.write(HttpSocket.post("/test.Tags/name", "[{\"name\": \"x\"}]"));
      HttpSocket.Response refused = socket.read();
      assertThat(refused.status()).isEqualTo(501);
      String reason =
          "TagService.name: parameter 0 has type "
              + Tagged.class.getName()
              + ", which would need a class name from the wire ("
              + Tagged.class.getName()
              + " uses @JsonTypeInfo(use = Id.CLASS)); the JSON serializer reads values only as"
              + " their declared types";
      JsonNode error = new ObjectMapper().readTree(refused.body());
      assertThat(error.get("code").asText()).isEqualTo("UNIMPLEMENTED");
      assertThat(error.get("message").asText())
          .isEqualTo("service 'test.Tags' cannot be called over REST: " + reason);

      socket.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
      JsonNode services = new ObjectMapper().readTree(socket.read().body()).get("services");
      assertThat(services.get(0).get("name").asText()).isEqualTo("test.Calls");
      assertThat(services.get(0).has("unavailable")).isFalse();
      assertThat(services.get(1).get("name").asText()).isEqualTo("test.Tags");
      assertThat(services.get(1).get("unavailable").asText()).isEqualTo(reason);
    }
  }
}
