package io.minirpc.registry.zookeeper;

import io.minirpc.Status;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link NodeService} provider that counts the calls it runs, and that a test can make stall
 * (every call blocks until released) or fail (every call answers UNAVAILABLE).
 */
final class CountingNode implements NodeService {

  private final String name;
  private final AtomicInteger names = new AtomicInteger();
  private final AtomicInteger orders = new AtomicInteger();
  private final AtomicReference<CountDownLatch> stall = new AtomicReference<>();
  private volatile boolean failing;

  CountingNode(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    names.incrementAndGet();
    return answer();
  }

  @Override
  public String order(String id) {
    orders.incrementAndGet();
    return answer();
  }

  private String answer() {
    CountDownLatch gate = stall.get();
    if (gate != null) {
      try {
        // Bounded, so that a test that forgets to release cannot hang the suite.
        gate.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        // The server is closing without a grace period: the caller gets no answer anyway.
        Thread.currentThread().interrupt();
      }
    }
    if (failing) {
      throw Status.UNAVAILABLE.withDescription(name + " is failing").asException();
    }
    return name;
  }

  /** Runs of {@link #name()}. */
  int names() {
    return names.get();
  }

  /** Runs of {@link #order}. */
  int orders() {
    return orders.get();
  }

  /** Runs of both methods. */
  int calls() {
    return names.get() + orders.get();
  }

  /** From now on, calls block until {@link #release()}. */
  void stall() {
    stall.set(new CountDownLatch(1));
  }

  /** Lets the stalled calls, and those to come, answer. */
  void release() {
    CountDownLatch gate = stall.getAndSet(null);
    if (gate != null) {
      gate.countDown();
    }
  }

  /** Whether calls answer UNAVAILABLE, as an overloaded or broken provider does. */
  void failing(boolean failing) {
    this.failing = failing;
  }
}
