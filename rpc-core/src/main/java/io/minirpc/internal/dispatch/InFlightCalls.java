package io.minirpc.internal.dispatch;

import java.util.concurrent.TimeUnit;

/**
 * Counts the requests a server has accepted and not yet finished answering, over every way it takes
 * calls, so that a graceful close can wait for them.
 */
public final class InFlightCalls {

  private int count;

  public synchronized void started() {
    count++;
  }

  public synchronized void finished() {
    if (--count == 0) {
      notifyAll();
    }
  }

  public synchronized int count() {
    return count;
  }

  /** Waits until no call is in flight, or the time is up; returns whether none is left. */
  public synchronized boolean awaitNone(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
