package io.minirpc.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.Provider;
import io.minirpc.Registry;
import io.minirpc.RpcException;
import io.minirpc.ServiceName;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Health at graceful shutdown, while a slow call drains: NOT_SERVING from the first thing {@code
 * close()} does, seen by probes as long as the server still takes requests (while it withdraws from
 * the registry), and after that no probe reaches it at all, which a probe counts as a failure too.
 */
@Timeout(60)
class HealthShutdownTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SERVING = "{\"status\":\"SERVING\"}\n";
  private static final String NOT_SERVING = "{\"status\":\"NOT_SERVING\"}\n";

  /** Holds the server in its registry withdrawal until the test lets it go on. */
  private static final class HoldingRegistry implements Registry {
    final CountDownLatch withdrawing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void register(ServiceName service, Provider provider) {}

    @Override
    public void unregister(ServiceName service, Provider provider) {
      withdrawing.countDown();
      try {
        // Bounded, so that a failing test cannot hang the close.
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public Subscription subscribe(ServiceName service, Consumer<List<Provider>> listener) {
      throw new UnsupportedOperationException("discovers nothing");
    }

    @Override
    public void close() {}
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
  }

  private static boolean refusesConnections(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void healthIsNotServingFromTheStartOfCloseWhileASlowCallDrains() throws Exception {
    CallsServiceImpl impl = new CallsServiceImpl();
    HoldingRegistry registry = new HoldingRegistry();
    RpcServer server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .registry(registry)
            .gracePeriod(Duration.ofSeconds(20))
            .addService(impl)
            .build()
            .start();
    int restPort = server.restPort();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (RpcClient client = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build();
        HttpSocket probe = new HttpSocket(restPort)) {
      Health health = client.stub(Health.class);
      CallsService calls = client.stub(CallsService.class);
      assertThat(health.check(Health.SERVER)).isEqualTo(ServingStatus.SERVING);
      probe.write(get("/health"));
      assertThat(probe.read().body()).isEqualTo(SERVING);

      CompletableFuture<String> slow =
          CompletableFuture.supplyAsync(() -> calls.await("slow"), threads);
      Await.until(WAIT, "the slow call to be in flight", () -> server.inFlightCalls() == 1);
      Future<?> closing = threads.submit(server::close);
      assertThat(registry.withdrawing.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      // Withdrawing from the registry: both ports still take requests, and answer NOT_SERVING.
      probe.write(get("/health"));
      HttpSocket.Response whole = probe.read();
      assertThat(whole.status()).isEqualTo(503);
      assertThat(whole.body()).isEqualTo(NOT_SERVING);
      probe.write(get("/health/test.Calls:1"));
      assertThat(probe.read().status()).isEqualTo(503);
      try (HttpSocket fresh = new HttpSocket(restPort)) {
        fresh.write(get("/health"));
        assertThat(fresh.read().body()).isEqualTo(NOT_SERVING);
      }
      assertThat(health.check(Health.SERVER)).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(health.check("test.Calls:1")).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(slow).isNotDone();

      // The grace period: the ports take nothing new, the slow call goes on.
      registry.release.countDown();
      Await.until(WAIT, "the REST port to stop accepting", () -> refusesConnections(restPort));
      assertThat(probe.isClosedByPeer()).as("the idle HTTP connection is closed").isTrue();
      assertThat(server.health().check(Health.SERVER)).isEqualTo(ServingStatus.NOT_SERVING);
      // The going-away notice follows the listeners' close: until it is sent, a call on the open
      // minirpc connection may still be answered.
      RpcException[] refused = {null};
      Await.until(
          WAIT,
          "a call on the open minirpc connection to be refused",
          () -> {
            refused[0] =
                catchThrowableOfType(RpcException.class, () -> health.check(Health.SERVER));
            return refused[0] != null;
          });
      assertThat(refused[0].code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(slow).isNotDone();
      assertThat(closing).isNotDone();

      impl.open("slow");
      assertThat(slow.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("passed slow");
      closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(server.health().check(Health.SERVER)).isEqualTo(ServingStatus.NOT_SERVING);
      assertThatThrownBy(() -> server.health().check("test.Nope"))
          .isInstanceOf(RpcException.class)
          .hasMessageContaining("no service 'test.Nope'");
    } finally {
      registry.release.countDown();
      impl.open("slow");
      server.close();
      threads.shutdownNow();
    }
  }
}
