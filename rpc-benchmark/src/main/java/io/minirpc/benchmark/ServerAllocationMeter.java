package io.minirpc.benchmark;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Measures, in a JMH fork, what the trial's server JVM allocates per call: the server's allocated
 * bytes ({@link ServerProcess#allocatedBytes()}) at the start and the end of every measured
 * iteration, and the calls the benchmark's threads made in between, as both benchmarks count them.
 *
 * <p>The first figure is read in the benchmark's {@code @Setup(Level.Iteration)}, which JMH runs
 * before any thread makes a call of the iteration. Each thread hands over its count in its own
 * {@code @TearDown(Level.Iteration)}, which JMH runs once every thread has stopped making calls,
 * and only after waiting for its calls in flight if they are asynchronous; the last thread to hand
 * over reads the second figure. So every call counted has completed inside the two figures, and no
 * call outside them is counted: the calls JMH's synchronised iterations make before and after the
 * measured time are both counted and charged. Asking costs the server a few hundred bytes per
 * iteration (next to tens of thousands of calls), and this JVM a little, outside its measured time.
 *
 * <p>JMH runs the trial's {@code @TearDown(Level.Trial)} on the first thread through the last
 * iteration's teardowns, while others may not have handed over yet: {@link #total(Duration)} waits
 * for them, and must be read before the server is stopped.
 */
final class ServerAllocationMeter {

  private final ServerProcess server;
  private final int threads;
  private final AtomicInteger running = new AtomicInteger();
  private final LongAdder calls = new LongAdder();
  private final AtomicLong bytes = new AtomicLong();
  private volatile boolean measuring;
  private volatile long before;
  private volatile CountDownLatch iterationEnded = new CountDownLatch(0);

  /**
   * A meter of this server's allocation.
   *
   * @param threads the benchmark's threads, each of which hands over its count every iteration
   */
  ServerAllocationMeter(ServerProcess server, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1: " + threads);
    }
    this.server = server;
    this.threads = threads;
  }

  /** From the benchmark's {@code @Setup(Level.Iteration)}: before the iteration's first call. */
  void iterationStarts(IterationParams iteration) {
    measuring = iteration.getType() == IterationType.MEASUREMENT;
    if (measuring) {
      running.set(threads);
      iterationEnded = new CountDownLatch(1);
      before = server.allocatedBytes();
    }
  }

  /**
   * From each thread's {@code @TearDown(Level.Iteration)}, once every one of its calls of the
   * iteration has completed.
   *
   * @param callerCalls the calls this thread made in the iteration
   */
  void callerEnds(long callerCalls) {
    if (!measuring) {
      return;
    }
    calls.add(callerCalls);
    if (running.decrementAndGet() == 0) {
      try {
        bytes.addAndGet(server.allocatedBytes() - before);
      } finally {
        iterationEnded.countDown();
      }
    }
  }

  /**
   * The measured iterations' figures, once every thread has handed over its count of the last one.
   *
   * @throws IllegalStateException if some thread has not within {@code timeout}
   */
  ServerAllocation total(Duration timeout) throws InterruptedException {
    if (!iterationEnded.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException(
          running.get()
              + " of "
              + threads
              + " threads did not end their iteration within "
              + timeout.toSeconds()
              + " s");
    }
    return new ServerAllocation(bytes.get(), calls.sum());
  }
}
