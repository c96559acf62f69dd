package io.minirpc.benchmark;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The streaming workload's server side for minirpc: users 1 to {@code count}, each made by {@code
 * user.apply(id)} only when the subscriber has asked for it, on the thread that asks (a request
 * from within {@code onNext} adds to the loop already running rather than recursing). gRPC's
 * adapter makes the same users as its stream becomes ready, so both do the same work per item.
 */
public final class UsersOnDemand<T> implements Flow.Publisher<T> {

  private final long count;
  private final LongFunction<T> user;

  public UsersOnDemand(long count, LongFunction<T> user) {
    this.count = count;
    this.user = user;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    subscriber.onSubscribe(new Subscription(subscriber));
  }

  private final class Subscription implements Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean cancelled;
    private long next = 1;

    Subscription(Flow.Subscriber<? super T> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        cancelled = true;
        subscriber.onError(new IllegalArgumentException("request(" + n + "): rule 3.9"));
        return;
      }
      requested.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      if (wip.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      while (true) {
        long wanted = requested.get();
        long emitted = 0;
        while (emitted < wanted && next <= count && !cancelled) {
          subscriber.onNext(user.apply(next++));
          emitted++;
        }
        if (next > count && !cancelled) {
          cancelled = true;
          subscriber.onComplete();
        }
        requested.addAndGet(-emitted);
        missed = wip.addAndGet(-missed);
        if (missed == 0) {
          return;
        }
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }
}
