package io.minirpc.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.server.RpcServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo's HTTP caller against a real provider's REST bridge: success and failure lines. */
class RestCallerTest {

  @Test
  void restCallerGetsAnswersAndErrorsFromTheBridge() throws Exception {
    try (RpcServer server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .addService(new GreetingServiceImpl())
            .addService(new UserServiceImpl())
            .build()
            .start()) {
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      RestCaller.run(
          "127.0.0.1:" + server.restPort(), new PrintStream(printed, true, StandardCharsets.UTF_8));
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .contains("POST /demo.Greeting:1/greet          -> 200 \"Hello, Ada! (from process ")
          .contains("POST /example.UserService/existUser  -> 200 true")
          .contains(
              "POST /demo.Greeting:1/greetStrictly  -> 500 {\"code\":\"APPLICATION_ERROR\","
                  + "\"message\":\"a name is required\","
                  + "\"type\":\"java.lang.IllegalArgumentException\"}")
          .contains("POST /demo.Greeting:1/nosuch         -> 404 {\"code\":\"NOT_FOUND\"");
    }
  }
}
