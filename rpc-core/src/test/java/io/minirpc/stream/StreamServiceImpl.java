package io.minirpc.stream;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/** The streaming tests' service; keeps its last publisher so that a test can watch the producer. */
public class StreamServiceImpl implements StreamService {

  final AtomicReference<DemandPublisher<?>> lastPublisher = new AtomicReference<>();
  final CountDownLatch requestStreamCancelled = new CountDownLatch(1);

  /** How many items the last publisher made; 0 before any. */
  long lastProduced() {
    DemandPublisher<?> p = lastPublisher.get();
    return p == null ? 0 : p.produced();
  }

  @Override
  public Flow.Publisher<Long> count(long n) {
    DemandPublisher<Long> p = new DemandPublisher<>(n, i -> i);
    lastPublisher.set(p);
    return p;
  }

  @Override
  public Flow.Publisher<byte[]> blobs(int n, int size) {
    DemandPublisher<byte[]> p =
        new DemandPublisher<>(
            n,
            i -> {
              byte[] b = new byte[size];
              Arrays.fill(b, (byte) i);
              return b;
            });
    lastPublisher.set(p);
    return p;
  }

  @Override
  public Flow.Publisher<Long> failAfter(long n, String message) {
    return new DemandPublisher<>(n, i -> i, new IllegalStateException(message));
  }

  @Override
  public CompletableFuture<Long> sum(Flow.Publisher<Long> numbers) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    numbers.subscribe(
        new Collecting<Long>(16) {
          long sum;

          @Override
          void take(Long item) {
            sum += item;
          }

          @Override
          void done(Throwable failure) {
            if (failure == null) {
              result.complete(sum);
            } else {
              result.completeExceptionally(failure);
            }
          }
        });
    return result;
  }

  @Override
  public long countItems(Flow.Publisher<String> items) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    items.subscribe(
        new Collecting<String>(8) {
          long count;

          @Override
          void take(String item) {
            count++;
          }

          @Override
          void done(Throwable failure) {
            if (failure == null) {
              result.complete(count);
            } else {
              result.completeExceptionally(failure);
            }
          }
        });
    // A blocking method holds its worker thread until the stream ends.
    return result.join();
  }

  @Override
  public CompletableFuture<Long> firstOf(Flow.Publisher<Long> numbers, int take) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    numbers.subscribe(
        new Flow.Subscriber<>() {
          Flow.Subscription subscription;
          long sum;
          int taken;

          @Override
          public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(take);
          }

          @Override
          public void onNext(Long item) {
            sum += item;
            if (++taken == take) {
              subscription.cancel();
              requestStreamCancelled.countDown();
              result.complete(sum);
            }
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onComplete() {
            result.complete(sum);
          }
        });
    return result;
  }

  @Override
  public CompletableFuture<Long> takeOnly(Flow.Publisher<Long> numbers, int take) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    numbers.subscribe(
        new Flow.Subscriber<>() {
          long sum;

          @Override
          public void onSubscribe(Flow.Subscription s) {
            s.request(take);
          }

          @Override
          public void onNext(Long item) {
            sum += item;
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onComplete() {
            result.complete(sum);
          }
        });
    return result;
  }

  @Override
  public Flow.Publisher<String> shout(Flow.Publisher<String> words) {
    // Each word goes out as it comes in: the caller's demand paces both streams.
    return subscriber ->
        words.subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                subscriber.onSubscribe(s);
              }

              @Override
              public void onNext(String word) {
                subscriber.onNext(word.toUpperCase(Locale.ROOT));
              }

              @Override
              public void onError(Throwable t) {
                subscriber.onError(t);
              }

              @Override
              public void onComplete() {
                subscriber.onComplete();
              }
            });
  }

  /** A subscriber that asks for {@code batch} items at a time and takes each. */
  abstract static class Collecting<T> implements Flow.Subscriber<T> {
    private final int batch;
    private Flow.Subscription subscription;
    private int sinceRequest;

    Collecting(int batch) {
      this.batch = batch;
    }

    abstract void take(T item);

    abstract void done(Throwable failure);

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(batch);
    }

    @Override
    public void onNext(T item) {
      take(item);
      if (++sinceRequest == batch) {
        sinceRequest = 0;
        subscription.request(batch);
      }
    }

    @Override
    public void onError(Throwable t) {
      done(t);
    }

    @Override
    public void onComplete() {
      done(null);
    }
  }
}
