package io.minirpc.client;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's limit of calls in flight: a counting semaphore whose waiters are futures, so that an
 * async call waits for a permit without blocking a thread, and a blocking call waits on the same
 * future with its deadline. Permits go to waiters in the order they came.
 *
 * <p>A waiter that stops waiting cancels its future: if that fails, the permit was handed to it
 * meanwhile, and it must {@link #release()} it.
 */
final class CallPermits {

  private final int max;
  private final AtomicInteger taken = new AtomicInteger();
  private final Queue<CompletableFuture<Void>> waiters = new ConcurrentLinkedQueue<>();

  CallPermits(int max) {
    this.max = max;
  }

  int max() {
    return max;
  }

  /** A future completed once this caller holds a permit: at once, if one is free. */
  CompletableFuture<Void> acquire() {
    if (tryAcquire()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    waiters.add(waiter);
    // A permit released after the attempt above, before this waiter was queued, found nobody.
    if (tryAcquire() && !waiter.complete(null)) {
      release();
    }
    return waiter;
  }

  /** Gives a permit back: to the first waiter still waiting, or to the pool. */
  void release() {
    while (true) {
      CompletableFuture<Void> waiter;
      while ((waiter = waiters.poll()) != null) {
        if (waiter.complete(null)) {
          return;
        }
      }
      taken.decrementAndGet();
      // A waiter queued after the poll, before the decrement, saw every permit taken: serve it.
      if (waiters.isEmpty() || !tryAcquire()) {
        return;
      }
    }
  }

  private boolean tryAcquire() {
    int n;
    do {
      n = taken.get();
      if (n >= max) {
        return false;
      }
    } while (!taken.compareAndSet(n, n + 1));
    return true;
  }
}
