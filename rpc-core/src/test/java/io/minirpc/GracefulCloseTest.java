package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server's graceful close under load: the calls that cross its going-away notice on the wire go
 * to another provider rather than fail, and a close with only idle clients does not wait out the
 * grace period.
 */
@Timeout(60)
class GracefulCloseTest {

  private static final Duration GRACE_PERIOD = Duration.ofSeconds(10);

  private static RpcServer start(CallsServiceImpl impl, int port) {
    return RpcServer.builder()
        .host("127.0.0.1")
        .port(port)
        .gracePeriod(GRACE_PERIOD)
        .addService(impl)
        .build()
        .start();
  }

  @Test
  void nonIdempotentCallsUnderLoadAllSucceedWhileTwoProvidersRestartInTurn() throws Exception {
    RpcServer[] servers = {start(new CallsServiceImpl(), 0), start(new CallsServiceImpl(), 0)};
    int[] ports = {servers[0].port(), servers[1].port()};
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong succeeded = new AtomicLong();
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    // A provider that is down refuses connections; those calls move on without opening its circuit.
    try (RpcClient client =
        RpcClient.builder()
            .addresses("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1])
            .circuitBreaker(1_000_000, Duration.ofMillis(100))
            .build()) {
      CallsService calls = client.stub(CallsService.class);
      List<Future<?>> loops = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        loops.add(
            callers.submit(
                () -> {
                  while (running.get()) {
                    try {
                      calls.echo("order");
                      succeeded.incrementAndGet();
                    } catch (RuntimeException e) {
                      failures.add(e.toString());
                    }
                  }
                }));
      }
      for (int restart = 0; restart < 8; restart++) {
        int i = restart % 2;
        servers[i].close();
        CallsServiceImpl impl = new CallsServiceImpl();
        servers[i] = start(impl, ports[i]);
        long before = succeeded.get();
        Await.until(
            Duration.ofSeconds(10),
            "calls reach the restarted provider",
            () ->
                impl.executions("echo") > 0 && succeeded.get() > before + 50
                    || !failures.isEmpty());
      }
      running.set(false);
      for (Future<?> loop : loops) {
        loop.get(10, TimeUnit.SECONDS);
      }
    } finally {
      running.set(false);
      callers.shutdownNow();
      for (RpcServer server : servers) {
        server.close();
      }
    }
    assertThat(failures).as("failed calls of %s", succeeded.get()).isEmpty();
  }

  @Test
  void closeDoesNotWaitOutTheGracePeriodWhenNoCallIsInFlight() {
    CallsServiceImpl impl = new CallsServiceImpl();
    RpcServer server = start(impl, 0);
    try (RpcClient client = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build()) {
      assertThat(client.stub(CallsService.class).echo("connected")).isEqualTo("connected");

      long start = System.nanoTime();
      server.close();

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GRACE_PERIOD.dividedBy(2));
    }
  }
}
