package io.minirpc.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

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
}
