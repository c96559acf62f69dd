package io.minirpc.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's caller against a real provider on a loopback port: every kind of call goes right. */
class CallerMainTest {

  @Test
  void callerMakesEachKindOfCall() throws Exception {
    GreetingServiceImpl impl = new GreetingServiceImpl();
    try (RpcServer server =
        RpcServer.builder().host("127.0.0.1").addService(impl).build().start()) {
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      CallerMain.run(
          "127.0.0.1:" + server.port(), new PrintStream(printed, true, StandardCharsets.UTF_8));
      String output = printed.toString(StandardCharsets.UTF_8);
      assertThat(output)
          .contains("greet(\"Ada\")          -> Hello, Ada! (from process ")
          .contains("greetLater(\"Grace\")    -> Hello later, Grace!")
          .contains("greetAll([Linus, Ken])  -> [Hi Linus, Hi Ken]")
          .contains(
              "greetStrictly(\"\")     -> APPLICATION_ERROR:"
                  + " java.lang.IllegalArgumentException: a name is required");
      Await.until(
          Duration.ofSeconds(5), "the one-way call to arrive", () -> impl.remembered() == 1);
    }
  }
}
