package io.minirpc.stream;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A publisher of {@code count} items made on demand, each by {@code item.apply(index)}: it makes an
 * item only when one is asked for, on the thread that asks (trampolined, so that a request from
 * within onNext does not recurse), and counts what it made, so that a test can see how far the
 * producer runs ahead of its consumer. One subscriber.
 */
final class DemandPublisher<T> implements Flow.Publisher<T> {

  private final long count;
  private final LongFunction<T> item;
  private final AtomicLong produced = new AtomicLong();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final RuntimeException failure;

  /** Endless when {@code count} is {@link Long#MAX_VALUE}. */
  DemandPublisher(long count, LongFunction<T> item) {
    this(count, item, null);
  }

  /** Fails with {@code failure} once {@code count} items are made, instead of completing. */
  DemandPublisher(long count, LongFunction<T> item, RuntimeException failure) {
    this.count = count;
    this.item = item;
    this.failure = failure;
  }

  long produced() {
    return produced.get();
  }

  boolean cancelled() {
    return cancelled.get();
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    if (!subscribed.compareAndSet(false, true)) {
      throw new IllegalStateException("one subscriber only");
    }
    subscriber.onSubscribe(new Subscription(subscriber));
  }

  private final class Subscription implements Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private long index;
    private boolean done;

    Subscription(Flow.Subscriber<? super T> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      requested.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      if (wip.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      while (true) {
        long emitted = 0;
        long wanted = requested.get();
        while (!done && !cancelled.get() && emitted < wanted && index < count) {
          T next = item.apply(index++);
          produced.incrementAndGet();
          subscriber.onNext(next);
          emitted++;
        }
        if (!done && !cancelled.get() && index >= count) {
          done = true;
          if (failure == null) {
            subscriber.onComplete();
          } else {
            subscriber.onError(failure);
          }
        }
        if (emitted > 0) {
          requested.addAndGet(-emitted);
        }
        missed = wip.addAndGet(-missed);
        if (missed == 0) {
          return;
        }
      }
    }

    @Override
    public void cancel() {
      cancelled.set(true);
    }
  }
}
