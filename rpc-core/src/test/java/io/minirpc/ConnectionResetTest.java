package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.client.RpcClient;
import io.minirpc.testing.Await;
import io.minirpc.testing.RawConnection;
import io.minirpc.testing.logging.LogCapture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;

/** A provider that resets its connection (it crashed, say) while a call waits for its answer. */
@Timeout(30)
class ConnectionResetTest {

  @RpcService(name = "test.Calls", version = "1")
  interface AsyncCalls {
    CompletableFuture<String> echo(String text);
  }

  @Test
  void resetFailsThePendingCallUnavailableNamingItAndWarnsNoOne() throws Exception {
    try (LogCapture logs = LogCapture.start(Level.DEBUG);
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RpcClient client =
            RpcClient.builder().addresses("127.0.0.1:" + listener.getLocalPort()).build()) {
      CompletableFuture<String> pending = client.stub(AsyncCalls.class).echo("lost");
      try (RawConnection provider = RawConnection.accept(listener, Duration.ofSeconds(10))) {
        provider.readFrame();
        provider.reset();
      }

      RpcException e =
          (RpcException) catchThrowableOfType(CompletionException.class, pending::join).getCause();
      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.status().description())
          .startsWith(
              "connection to 127.0.0.1:"
                  + listener.getLocalPort()
                  + " closed before the answer arrived");
      // The network failed, not a peer's bytes: that is no protocol error to warn about.
      Await.until(
          Duration.ofSeconds(5),
          "the client to close the connection",
          () -> client.pendingCalls() == 0);
      assertThat(logs.events(Level.WARN)).isEmpty();
    }
  }
}
