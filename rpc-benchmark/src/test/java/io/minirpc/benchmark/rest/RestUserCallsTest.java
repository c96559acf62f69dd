package io.minirpc.benchmark.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.minirpc.example.user.Page;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserService;
import io.minirpc.example.user.UserServiceImpl;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST caller against a small HTTP server that answers as the REST bridge does ({@code POST
 * /service/method}, a JSON array of arguments in, the JSON result or {@code {"code","message"}}
 * out), so that the client's own behaviour is pinned down apart from the bridge's.
 */
class RestUserCallsTest {

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();
  private final UserService users = new UserServiceImpl();
  private final Set<Integer> callerPorts = ConcurrentHashMap.newKeySet();
  private volatile boolean failing;
  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/example.UserService/", this::answer);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void callsCarryArgumentsAndResultsAsJson() {
    try (RestUserCalls calls = connect()) {
      assertThat(calls.existUser("41")).isTrue();
      assertThat(calls.existUser("47")).isFalse();
      assertThat(calls.createUser(42)).isTrue();
      assertThat(calls.getUser(42))
          .usingRecursiveComparison()
          .ignoringFields("createTime", "updateTime")
          .isEqualTo(UserServiceImpl.user(42));
      Page<User> page = calls.listUser(3);
      assertThat(page.getResult()).extracting(User::getId).startsWith(300L, 301L).hasSize(15);
    }
  }

  @Test
  void eachCallingThreadKeepsItsOwnConnection() throws InterruptedException {
    try (RestUserCalls calls = connect()) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread thread =
            new Thread(
                () -> {
                  for (int i = 0; i < 5; i++) {
                    calls.getUser(i);
                  }
                });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
    }
    assertThat(callerPorts).hasSize(3);
  }

  @Test
  void anErrorAnswerFailsTheCallWithItsCodeAndMessage() {
    failing = true;
    try (RestUserCalls calls = connect()) {
      assertThatThrownBy(() -> calls.getUser(1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("POST /example.UserService/getUser answered 503: UNAVAILABLE: going away");
      // The connection stays usable after an error answer.
      failing = false;
      assertThat(calls.getUser(2).getId()).isEqualTo(2);
    }
  }

  @Test
  void asyncCallsInFlightTogetherEachHaveAConnectionAndLaterCallsReuseThem() throws Exception {
    try (RestAsyncUserCalls calls = connectAsync()) {
      List<CompletableFuture<Object>> users = new ArrayList<>();
      for (int id = 0; id < 4; id++) {
        CompletableFuture<Object> user = new CompletableFuture<>();
        calls.getUser(id, (result, failure) -> complete(user, result, failure));
        users.add(user);
      }
      for (int id = 0; id < 4; id++) {
        assertThat(((User) users.get(id).get(10, TimeUnit.SECONDS)).getId()).isEqualTo(id);
      }
      int connections = callerPorts.size();
      assertThat(connections).isBetween(1, 4);
      for (int id = 0; id < 5; id++) {
        CompletableFuture<Object> page = new CompletableFuture<>();
        calls.listUser(id, (result, failure) -> complete(page, result, failure));
        assertThat(page.get(10, TimeUnit.SECONDS)).isInstanceOf(Page.class);
      }
      // One call at a time: an idle connection serves it, none is opened.
      assertThat(callerPorts).hasSize(connections);
    }
  }

  @Test
  void anErrorAnswerFailsTheAsyncCallWithItsCodeAndMessage() throws Exception {
    failing = true;
    try (RestAsyncUserCalls calls = connectAsync()) {
      CompletableFuture<Object> user = new CompletableFuture<>();
      calls.getUser(1, (result, failure) -> complete(user, result, failure));
      assertThatThrownBy(() -> user.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage(
              "POST /example.UserService/getUser answered 503: UNAVAILABLE: going away");
    }
  }

  private static void complete(CompletableFuture<Object> future, Object result, Throwable failure) {
    if (failure != null) {
      future.completeExceptionally(failure);
    } else {
      future.complete(result);
    }
  }

  private RestAsyncUserCalls connectAsync() {
    return RestAsyncUserCalls.connect("127.0.0.1", server.getAddress().getPort());
  }

  private RestUserCalls connect() {
    return RestUserCalls.connect("127.0.0.1", server.getAddress().getPort());
  }

  private void answer(HttpExchange exchange) throws IOException {
    callerPorts.add(exchange.getRemoteAddress().getPort());
    String method = exchange.getRequestURI().getPath().substring("/example.UserService/".length());
    JsonNode arguments = mapper.readTree(exchange.getRequestBody());
    int status = 200;
    Object result;
    if (failing) {
      status = 503;
      result = mapper.createObjectNode().put("code", "UNAVAILABLE").put("message", "going away");
    } else {
      result =
          switch (method) {
            case "existUser" -> users.existUser(arguments.get(0).asText());
            case "createUser" -> users.createUser(mapper.treeToValue(arguments.get(0), User.class));
            case "getUser" -> users.getUser(arguments.get(0).asLong());
            case "listUser" -> users.listUser(arguments.get(0).asInt());
            default -> throw new IllegalArgumentException(method);
          };
    }
    byte[] body = mapper.writeValueAsBytes(result);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
