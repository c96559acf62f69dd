package io.minirpc.internal.dispatch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests a server has accepted and not yet finished answering, over every way it takes
 * calls, so that a graceful close can wait for them.
 *
 * <p>Every call passes here twice, from the I/O thread and from a business thread: the count is
 * atomic, and the monitor is taken only while someone waits for it to reach zero.
 */
public final class InFlightCalls {

  private final AtomicInteger count = new AtomicInteger();
  private volatile boolean awaited;

  public void started() {
    count.incrementAndGet();
  }

  public void finished() {
    if (count.decrementAndGet() == 0 && awaited) {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  public int count() {
    return count.get();
  }

  /** Waits until no call is in flight, or the time is up; returns whether none is left. */
  public synchronized boolean awaitNone(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    awaited = true;
    try {
      // The flag is set before the count is read: a call that ends after this read sees it.
      while (count.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    } finally {
      awaited = false;
    }
  }
}
