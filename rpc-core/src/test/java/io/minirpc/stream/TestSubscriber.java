package io.minirpc.stream;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A subscriber for tests: asks for {@code batch} items at a time, keeps them (or only counts them),
 * runs a hook on each, and ends its {@link #done} future with the stream.
 */
final class TestSubscriber<T> implements Flow.Subscriber<T> {

  final CompletableFuture<Long> done = new CompletableFuture<>();
  final List<T> items = new CopyOnWriteArrayList<>();
  private final int batch;
  private final boolean keep;
  private final Consumer<T> onEach;
  private volatile Flow.Subscription subscription;
  private volatile long received;
  private int sinceRequest;

  TestSubscriber(int batch, boolean keep, Consumer<T> onEach) {
    this.batch = batch;
    this.keep = keep;
    this.onEach = onEach;
  }

  static <T> TestSubscriber<T> keeping(int batch) {
    return new TestSubscriber<>(batch, true, item -> {});
  }

  long received() {
    return received;
  }

  void cancel() {
    subscription.cancel();
  }

  /** The number of items, once the stream completed; throws its failure. */
  long await(Duration within) throws Exception {
    try {
      return done.get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(batch);
  }

  @Override
  public void onNext(T item) {
    received++;
    if (keep) {
      items.add(item);
    }
    onEach.accept(item);
    if (++sinceRequest == batch) {
      sinceRequest = 0;
      subscription.request(batch);
    }
  }

  @Override
  public void onError(Throwable t) {
    done.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    done.complete(received);
  }
}
