package io.minirpc.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.example.user.User;
import io.minirpc.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerProcessTest {

  @Test
  void serverRunsInItsOwnJvmUntilClosed() {
    ServerProcess server = ServerProcess.start(Backend.MINIRPC_KRYO, null);
    try (UserCalls calls = Backend.MINIRPC_KRYO.connect("127.0.0.1", server.port())) {
      assertThat(((User) calls.getUser(7)).getId()).isEqualTo(7);
      assertThat(server.isAlive()).isTrue();
    } finally {
      server.close();
    }
    Await.until(Duration.ofSeconds(10), "the server JVM to exit", () -> !server.isAlive());
  }

  @Test
  void serverTellsItsAllocatedBytesWhichGrowWithItsCalls() {
    try (ServerProcess server = ServerProcess.start(Backend.MINIRPC_KRYO, null);
        UserCalls calls = Backend.MINIRPC_KRYO.connect("127.0.0.1", server.port())) {
      calls.getUser(0);
      long first = server.allocatedBytes();
      long idle = server.allocatedBytes() - first;
      long beforeCalls = server.allocatedBytes();
      for (int i = 0; i < 1_000; i++) {
        calls.getUser(i);
      }
      long withCalls = server.allocatedBytes() - beforeCalls;

      assertThat(first).isPositive();
      // At least the decoded request and the encoded user of each call; asking costs little.
      assertThat(withCalls).isGreaterThan(1_000 * 100L).isGreaterThan(10 * idle);
      assertThat(server.isAlive()).as("still serving after being asked").isTrue();
      assertThat(((User) calls.getUser(8)).getId()).isEqualTo(8);
    }
  }

  @Test
  void askingAServerThatHasEndedFailsInsteadOfWaiting() {
    ServerProcess server = ServerProcess.start(Backend.MINIRPC_KRYO, null);
    server.close();

    assertThatThrownBy(server::allocatedBytes)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("could not ask the server for its allocation: ");
  }

  @Test
  void answerLinesAreReadAndOthersRefused() {
    assertThat(ServerProcess.Answer.parse("allocated 3 123456"))
        .isEqualTo(new ServerProcess.Answer(3, 123_456));
    assertThatThrownBy(() -> ServerProcess.Answer.parse("allocated 3"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the server's answer is not \"allocated <id> <bytes>\": allocated 3");
    assertThatThrownBy(() -> ServerProcess.Answer.parse("allocated 3 many"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the server's answer is not \"allocated <id> <bytes>\": allocated 3 many")
        .hasCauseInstanceOf(NumberFormatException.class);
  }
}
