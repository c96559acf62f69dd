package io.minirpc.soak;

import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/** What a soak test watches, at one moment: work done, threads, calls in flight, pooled memory. */
record Sample(
    long elapsedMillis,
    int calls,
    int threads,
    int clientPending,
    int serverInFlight,
    long pooledDirectBytes,
    long pooledHeapBytes) {

  static Sample take(long startNanos, int calls, RpcClient client, RpcServer server) {
    PooledByteBufAllocatorMetric pooled = PooledByteBufAllocator.DEFAULT.metric();
    return new Sample(
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        calls,
        ManagementFactory.getThreadMXBean().getThreadCount(),
        client.pendingCalls(),
        server.inFlightCalls(),
        pooled.usedDirectMemory(),
        pooled.usedHeapMemory());
  }

  @Override
  public String toString() {
    return String.format(
        "%6.1f s: %7d calls, %3d threads, %2d pending in the client, %2d in flight in the server,"
            + " pooled memory %.1f MiB direct + %.1f MiB heap",
        elapsedMillis / 1000.0,
        calls,
        threads,
        clientPending,
        serverInFlight,
        pooledDirectBytes / 1048576.0,
        pooledHeapBytes / 1048576.0);
  }
}
