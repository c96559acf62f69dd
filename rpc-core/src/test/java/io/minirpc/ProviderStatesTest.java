package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RpcClient#providerStates()} as a provider goes away under a call, over real sockets. */
class ProviderStatesTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final RpcServer server =
      RpcServer.builder().host("127.0.0.1").addService(impl).build().start();
  private final String address = "127.0.0.1:" + server.port();
  private final RpcClient client = RpcClient.builder().addresses(address).build();

  @AfterEach
  void close() {
    impl.open("held");
    client.close();
    server.close();
  }

  @Test
  void providerIsGoingAwayWhileItsLastCallRunsAndAvailableAgainOnceItsConnectionClosed() {
    assertThat(client.providerStates().byAddress()).isEmpty();
    CallsService calls = client.stub(CallsService.class);
    calls.echo("hi");
    assertThat(client.providerStates().byAddress())
        .isEqualTo(Map.of(address, ProviderState.AVAILABLE));

    CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> calls.await("held"));
    Await.until(WAIT, "the held call to reach the service", () -> impl.executions("await") == 1);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    Await.until(
        WAIT,
        "the provider to be going away",
        () -> client.providerStates().count(ProviderState.GOING_AWAY) == 1);
    assertThat(client.providerStates().count(ProviderState.AVAILABLE)).isZero();

    impl.open("held");
    assertThat(held.join()).isEqualTo("passed held");
    closing.join();
    // A fixed address stays listed: once the connection closed, the next call would try it again.
    Await.until(
        WAIT,
        "the provider to be available again",
        () -> client.providerStates().count(ProviderState.AVAILABLE) == 1);
    assertThat(client.providerStates().byAddress()).containsOnlyKeys(address);
  }
}
