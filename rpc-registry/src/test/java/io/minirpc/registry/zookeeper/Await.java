package io.minirpc.registry.zookeeper;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition until a deadline, polling: tests never sleep for a fixed time. */
final class Await {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  private Await() {}

  static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT_TIMEOUT, condition);
  }

  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout.toMillis() + " ms waiting until " + what);
      }
      // A short pause between polls of the condition, bounded by the deadline above.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      if (Thread.currentThread().isInterrupted()) {
        throw new AssertionError("interrupted waiting until " + what);
      }
    }
  }
}
