package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A flood: several clients send large requests, as fast as their limits let them, to a service far
 * slower than they are. The memory in buffers stays within what the configured limits allow, the
 * server refuses what it cannot take with RESOURCE_EXHAUSTED at once, every call ends by its
 * deadline, and the server serves normally once the flood stops.
 */
class FloodTest {

  private static final int CLIENTS = 4;
  private static final int CALLS_PER_CLIENT = 100;
  private static final int PAYLOAD = 256 * 1024;
  private static final int MAX_FRAME = 512 * 1024;
  private static final int WORKER_THREADS = 4;
  private static final int WORKER_QUEUE = 16;
  private static final int HIGH_WATER_MARK = 1024 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** What a loaded machine may add to a deadline before a call's end is seen: not a hang. */
  private static final Duration SLACK = Duration.ofSeconds(2);

  @RpcService(name = "test.Flood")
  interface FloodService {
    int take(byte[] body);
  }

  @RpcService(name = "test.Flood")
  interface AsyncFlood {
    CompletableFuture<Integer> take(byte[] body);
  }

  /** Takes its time over every request: a service far slower than its callers. */
  static final class SlowFlood implements FloodService {
    final AtomicInteger served = new AtomicInteger();

    @Override
    public int take(byte[] body) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      served.incrementAndGet();
      return body.length;
    }
  }

  @Test
  void floodOfLargeRequestsStaysWithinTheLimitsIsRefusedAndPassesOver() throws Exception {
    SlowFlood service = new SlowFlood();
    try (RpcServer server =
        RpcServer.builder()
            .host("127.0.0.1")
            .workerThreads(WORKER_THREADS)
            .workerQueueSize(WORKER_QUEUE)
            .maxFrameSize(MAX_FRAME)
            .addService(service)
            .build()
            .start()) {
      List<RpcClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < CLIENTS; i++) {
          clients.add(
              RpcClient.builder()
                  .addresses("127.0.0.1:" + server.port())
                  .maxFrameSize(MAX_FRAME)
                  .writeBufferWaterMark(HIGH_WATER_MARK / 2, HIGH_WATER_MARK)
                  .timeout(TIMEOUT)
                  .maxAttempts(1)
                  .build());
        }
        // Connected and warmed up before the baseline is taken.
        CallOptions patient = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
        for (RpcClient c : clients) {
          assertThat(c.stub(FloodService.class, patient).take(new byte[1])).isEqualTo(1);
        }
        PooledByteBufAllocatorMetric pool = PooledByteBufAllocator.DEFAULT.metric();
        long baseline = pool.usedDirectMemory() + pool.usedHeapMemory();
        AtomicLong peak = new AtomicLong(baseline);
        Thread sampler = sampleInto(peak, pool);

        byte[] body = new byte[PAYLOAD];
        AtomicLong longestCallNanos = new AtomicLong();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        List<CompletableFuture<Integer>> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        // One thread per client, each calling as fast as its connection takes requests.
        List<Thread> callers = new ArrayList<>();
        for (RpcClient c : clients) {
          AsyncFlood stub = c.stub(AsyncFlood.class);
          Thread caller =
              new Thread(
                  () -> {
                    for (int n = 0; n < CALLS_PER_CLIENT; n++) {
                      long start = System.nanoTime();
                      CompletableFuture<Integer> call = stub.take(body);
                      call.whenComplete(
                          (value, failure) -> {
                            longestCallNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                            outcomes
                                .computeIfAbsent(outcome(failure), k -> new AtomicInteger())
                                .incrementAndGet();
                          });
                      calls.add(call);
                    }
                  },
                  "flood-test-caller");
          callers.add(caller);
          caller.start();
        }
        for (Thread caller : callers) {
          caller.join(TimeUnit.SECONDS.toMillis(20));
        }
        long floodEnds = System.nanoTime() + TIMEOUT.plus(SLACK).toNanos();
        for (CompletableFuture<Integer> call : calls) {
          long left = Math.max(1, floodEnds - System.nanoTime() + SLACK.toNanos());
          try {
            call.get(left, TimeUnit.NANOSECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            // Counted by its outcome.
          }
        }
        sampler.interrupt();
        sampler.join();

        assertThat(longestCallNanos.get())
            .as("the longest call, in ns, against its deadline")
            .isLessThan(TIMEOUT.plus(SLACK).toNanos());
        assertThat(outcomes.keySet())
            .as("outcomes %s", outcomes)
            .contains("OK", "RESOURCE_EXHAUSTED: the server is busy")
            .allMatch(o -> o.equals("OK") || o.startsWith("RESOURCE_EXHAUSTED"));
        assertThat(peak.get() - baseline)
            .as(
                "bytes in pooled buffers above the baseline at the flood's peak (outcomes %s)",
                outcomes)
            .isLessThan(memoryBound());

        // The flood is over: a call is served as usual.
        assertThat(clients.get(0).stub(FloodService.class, patient).take(new byte[PAYLOAD]))
            .isEqualTo(PAYLOAD);
      } finally {
        clients.forEach(RpcClient::close);
      }
    }
  }

  /**
   * What the limits allow in buffers at once, server and clients together (they share the pooled
   * allocator in this JVM), with room for the pool's own granularity.
   */
  private static long memoryBound() {
    long frame = PAYLOAD + 1024;
    // Requests held by the business executor, each in a buffer of its own or sharing at most 64
    // KiB more (ServerHandler copies it out of a larger read buffer); and per connection what is
    // being read: a frame not yet whole, and one read batch (16 reads of at most 64 KiB each).
    long readBatch = 16 * 64 * 1024;
    long server =
        (WORKER_THREADS + WORKER_QUEUE) * (frame + 64 * 1024)
            + CLIENTS * ((long) MAX_FRAME + readBatch);
    // Per connection, what waits to be sent: up to the high water mark, and the one frame of the
    // one thread that calls (a call waits for room before it queues its frame).
    long clients = CLIENTS * (HIGH_WATER_MARK + frame);
    long chunk =
        (long) PooledByteBufAllocator.defaultPageSize() << PooledByteBufAllocator.defaultMaxOrder();
    // Each arena keeps partly used chunks the others cannot use: allow a few per arena.
    long granularity = 4L * PooledByteBufAllocator.defaultNumDirectArena() * chunk;
    return server + clients + granularity;
  }

  private static String outcome(Throwable failure) {
    if (failure == null) {
      return "OK";
    }
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof RpcException e) {
      String description = e.status().description();
      // The server's refusals, told apart from the client's own.
      return e.code()
          + (description.startsWith("the server is busy") ? ": the server is busy" : "");
    }
    return cause.toString();
  }

  /** Records the most memory in pooled buffers every few milliseconds until interrupted. */
  private static Thread sampleInto(AtomicLong peak, PooledByteBufAllocatorMetric pool) {
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(pool.usedDirectMemory() + pool.usedHeapMemory(), Math::max);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
              }
            },
            "flood-test-memory-sampler");
    sampler.setDaemon(true);
    sampler.start();
    return sampler;
  }
}
