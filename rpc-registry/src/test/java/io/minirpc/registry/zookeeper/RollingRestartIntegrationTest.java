package io.minirpc.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.client.RpcClient;
import io.minirpc.registry.zookeeper.ProviderCluster.Node;
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
 * Three providers registered in ZooKeeper are restarted one after the other, each closed gracefully
 * and started again on the same port, under a steady load of non-idempotent calls: not one call may
 * fail.
 */
@Timeout(60)
class RollingRestartIntegrationTest {

  private static final int CALLER_THREADS = 4;

  /** Calls that must succeed between two steps of the restart, so that load runs throughout. */
  private static final int CALLS_PER_STEP = 200;

  @Test
  void rollingRestartOfThreeProvidersOnTheirPortsLosesNoCall() throws Exception {
    try (ProviderCluster cluster = new ProviderCluster()) {
      List<Node> nodes =
          new ArrayList<>(List.of(cluster.start("a"), cluster.start("b"), cluster.start("c")));
      RpcClient client = cluster.build(cluster.client());
      NodeService service = client.stub(NodeService.class);

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong succeeded = new AtomicLong();
      AtomicLong slowest = new AtomicLong();
      Queue<String> failures = new ConcurrentLinkedQueue<>();
      ExecutorService callers = Executors.newFixedThreadPool(CALLER_THREADS);
      List<Future<?>> loops = new ArrayList<>();
      try {
        for (int t = 0; t < CALLER_THREADS; t++) {
          int thread = t;
          loops.add(
              callers.submit(
                  () -> {
                    for (long i = 0; running.get(); i++) {
                      long start = System.nanoTime();
                      try {
                        service.order("thread " + thread + " order " + i);
                        succeeded.incrementAndGet();
                      } catch (RuntimeException e) {
                        failures.add(e.toString());
                      }
                      slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
                    }
                  }));
        }
        awaitMoreCalls(succeeded, "before the restart");

        for (int i = 0; i < nodes.size(); i++) {
          Node old = nodes.get(i);
          int port = old.provider().port();
          old.server().close();
          old.registry().close();
          awaitMoreCalls(succeeded, "while " + old.name() + " is down");
          Node restarted =
              cluster.start(
                  old.name() + "'", port, TestZooKeeper.registry(cluster.connectString()));
          nodes.set(i, restarted);
          Await.until(
              "calls reach " + restarted.name() + " on port " + port,
              () -> restarted.service().orders() > 0 || !failures.isEmpty());
          awaitMoreCalls(succeeded, "after " + restarted.name() + " started");
        }
      } finally {
        running.set(false);
        for (Future<?> loop : loops) {
          loop.get(10, TimeUnit.SECONDS);
        }
        callers.shutdown();
      }

      assertThat(failures).as("failed calls of %s", succeeded.get()).isEmpty();
      for (Node node : nodes) {
        assertThat(node.service().orders()).as("calls run by %s", node.name()).isPositive();
      }
      // No call waited out its 5 s timeout (it would be among the failures): none hung on a
      // provider that went away. How fast they were is the benchmark's business, not this test's.
      assertThat(Duration.ofNanos(slowest.get())).isLessThan(Duration.ofSeconds(5));
    }
  }

  private static void awaitMoreCalls(AtomicLong succeeded, String when) {
    long target = succeeded.get() + CALLS_PER_STEP;
    Await.until(CALLS_PER_STEP + " more calls succeed " + when, () -> succeeded.get() >= target);
  }
}
