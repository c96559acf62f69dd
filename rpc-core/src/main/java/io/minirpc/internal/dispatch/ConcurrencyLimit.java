package io.minirpc.internal.dispatch;

import io.minirpc.Status;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The most calls that may run at once on a server for one service or one method, whatever transport
 * they came by: a call takes a slot before it is queued for the business executor and gives it back
 * once it is answered (an async method's future completed), so the limit covers waiting and running
 * calls alike. A call that finds every slot taken is refused at once.
 */
public final class ConcurrencyLimit {

  private final int max;
  private final Status refusal;
  private final AtomicInteger taken = new AtomicInteger();

  /**
   * @param what names what is limited in the refusal's message: "service 'x'" or "X.method"
   */
  public ConcurrencyLimit(String what, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive: " + max);
    }
    this.max = max;
    this.refusal =
        Status.RESOURCE_EXHAUSTED.withDescription(
            "too many concurrent calls: "
                + what
                + " allows "
                + max
                + " at once on this server; try again later");
  }

  /** Takes a slot if one is free. */
  boolean tryAcquire() {
    int n;
    do {
      n = taken.get();
      if (n >= max) {
        return false;
      }
    } while (!taken.compareAndSet(n, n + 1));
    return true;
  }

  void release() {
    taken.decrementAndGet();
  }

  /** The answer to a call refused for want of a slot. */
  Status refusal() {
    return refusal;
  }

  /** The slots taken now. */
  public int taken() {
    return taken.get();
  }
}
