package io.minirpc.internal.stream;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends the items of a local {@link Flow.Publisher} to the peer, as fast as the peer's credit
 * allows and no faster: each credit frame that arrives becomes a {@code request(n)} on the
 * publisher's subscription, so a publisher that honours demand (as every Reactive Streams publisher
 * must) is slowed down by a slow receiver, and what waits to be written stays within the credit.
 *
 * <p>The {@link Sink} is told once how the stream ended: completed, or failed (by the publisher, an
 * item that could not be sent, or a publisher sending more than it was asked for). After {@link
 * #cancel()} it is told nothing more.
 */
public final class OutboundStream implements Flow.Subscriber<Object> {

  /** Where the items go: the connection. */
  public interface Sink {

    /** Sends one item; throws if it cannot be sent (it cannot be encoded, say). */
    void item(Object item) throws Exception;

    /** The publisher completed: every item was sent. */
    void completed();

    /** The stream failed; nothing more is sent. */
    void failed(Throwable cause);
  }

  private final Sink sink;
  private final String description;
  private final AtomicBoolean ended = new AtomicBoolean();
  private Flow.Subscription subscription;
  // Credit that arrived before the subscription did; guarded by this.
  private long pendingCredit;
  private boolean cancelled;
  // Credit given in all, and items sent: the publisher's signals only (rule 1.3 serialises them).
  private volatile long credited;
  private long sent;

  public OutboundStream(Sink sink, String description) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.description = description;
  }

  /** The peer lets this side send {@code n} more items. */
  public void credit(int n) {
    if (n <= 0) {
      return;
    }
    Flow.Subscription s;
    synchronized (this) {
      credited += n;
      if (subscription == null) {
        pendingCredit += n;
        return;
      }
      if (cancelled) {
        return;
      }
      s = subscription;
    }
    s.request(n);
  }

  /** Stops the stream: the publisher's subscription is cancelled, and nothing more is sent. */
  public void cancel() {
    ended.set(true);
    Flow.Subscription s;
    synchronized (this) {
      cancelled = true;
      s = subscription;
    }
    if (s != null) {
      s.cancel();
    }
  }

  /** Whether the stream has ended: completed, failed or cancelled. */
  public boolean isEnded() {
    return ended.get();
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    Objects.requireNonNull(s, "subscription");
    long credit;
    synchronized (this) {
      if (subscription != null) {
        // Rule 2.5: a second subscription is cancelled.
        s.cancel();
        return;
      }
      subscription = s;
      if (cancelled) {
        s.cancel();
        return;
      }
      credit = pendingCredit;
      pendingCredit = 0;
    }
    if (credit > 0) {
      s.request(credit);
    }
  }

  @Override
  public void onNext(Object item) {
    if (ended.get()) {
      return;
    }
    if (++sent > credited) {
      fail(
          new IllegalStateException(
              "the publisher of "
                  + description
                  + " sent more items than it was asked for ("
                  + sent
                  + " for "
                  + credited
                  + ")"));
      return;
    }
    try {
      sink.item(item);
    } catch (Exception e) {
      fail(e);
    }
  }

  private void fail(Throwable cause) {
    Flow.Subscription s;
    synchronized (this) {
      cancelled = true;
      s = subscription;
    }
    if (s != null) {
      s.cancel();
    }
    if (ended.compareAndSet(false, true)) {
      sink.failed(cause);
    }
  }

  @Override
  public void onError(Throwable cause) {
    if (ended.compareAndSet(false, true)) {
      sink.failed(cause);
    }
  }

  @Override
  public void onComplete() {
    if (ended.compareAndSet(false, true)) {
      sink.completed();
    }
  }
}
