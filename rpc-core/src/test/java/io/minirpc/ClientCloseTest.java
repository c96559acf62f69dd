package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Closing a client while calls wait for their answers: they fail at once, and so do later ones. */
@Timeout(30)
class ClientCloseTest {

  @RpcService(name = "test.Calls", version = "1")
  interface AsyncCalls {
    CompletableFuture<String> await(String gate);
  }

  @Test
  void closingTheClientFailsItsPendingCallsAndLaterCallsWithUnavailable() throws Exception {
    CallsServiceImpl impl = new CallsServiceImpl();
    try (RpcServer server =
        RpcServer.builder().host("127.0.0.1").addService(impl).build().start()) {
      RpcClient client = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build();
      CallsService madeBeforeClose = client.stub(CallsService.class);
      CompletableFuture<String> pending = client.stub(AsyncCalls.class).await("never");
      Await.until(
          Duration.ofSeconds(5),
          "the call to run on the server",
          () -> impl.executions("await") == 1);
      assertThat(client.pendingCalls()).isEqualTo(1);

      client.close();

      assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              RpcException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.status().description())
                    .isEqualTo(
                        "connection to 127.0.0.1:"
                            + server.port()
                            + " closed before the answer arrived (the client is closed)");
              });
      assertThat(client.pendingCalls()).isZero();
      assertThatThrownBy(() -> madeBeforeClose.echo("after close"))
          .isInstanceOfSatisfying(
              RpcException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.status().description()).isEqualTo("the client is closed");
              });
      impl.open("never");
    }
  }

  @Test
  void aClosedClientMakesNoStubs() {
    RpcClient client = RpcClient.builder().addresses("127.0.0.1:1").build();
    client.stub(CallsService.class);
    client.close();

    // Neither of a service it had a stub of, nor of a new one (which would subscribe anew).
    assertThatThrownBy(() -> client.stub(CallsService.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the client is closed");
    assertThatThrownBy(() -> client.stub(AsyncCalls.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the client is closed");
  }
}
