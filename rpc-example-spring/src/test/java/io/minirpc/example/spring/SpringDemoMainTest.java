package io.minirpc.example.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.registry.zookeeper.EmbeddedZooKeeper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The Spring Boot demo against a real embedded ZooKeeper: the caller application's references make
 * each kind of call to the provider application, whose health is UP, then DOWN once it closed.
 */
class SpringDemoMainTest {

  @Test
  void callerApplicationCallsTheProviderApplicationThroughZooKeeper() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start()) {
      SpringDemoMain.run(
          zooKeeper.connectString(), new PrintStream(printed, true, StandardCharsets.UTF_8));
    }
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("greet(\"Ada\")                         -> Hello, Ada! (from process ")
        .contains("greetLater(\"Grace\")                  -> Hello later, Grace!")
        .contains("greetAll([Linus, Ken])               -> [Hi Linus, Hi Ken]")
        .contains(
            "greetStrictly(\"\")                    -> APPLICATION_ERROR:"
                + " java.lang.IllegalArgumentException: a name is required")
        .contains("greetSlowly(1 s), timeout = \"100ms\"  -> DEADLINE_EXCEEDED")
        .contains("getUser(7)                           -> Doug Lea, ")
        .contains("health:    minirpc UP\n")
        .contains("health:    minirpc DOWN after the close");
  }
}
