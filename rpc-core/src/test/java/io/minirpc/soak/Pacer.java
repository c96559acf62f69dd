package io.minirpc.soak;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces out a loop's iterations at a fixed rate, so that a load stays steady instead of taking all
 * the CPU of a machine shared with other builds. Waits for a time, not for a condition.
 */
final class Pacer {

  private final long intervalNanos;
  private long next;

  Pacer(long intervalNanos) {
    this.intervalNanos = intervalNanos;
    this.next = System.nanoTime();
  }

  /** Returns at the next tick; at once if the loop is behind (it does not try to catch up). */
  void awaitNextTick() {
    long now = System.nanoTime();
    next = Math.max(next + intervalNanos, now);
    while (next - now > 0) {
      LockSupport.parkNanos(next - now);
      now = System.nanoTime();
    }
  }
}
