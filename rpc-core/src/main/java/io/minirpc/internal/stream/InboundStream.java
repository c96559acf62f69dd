package io.minirpc.internal.stream;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The items of a stream that arrive from the peer, as a {@link Flow.Publisher} for one subscriber:
 * the connection offers them as they are read (and {@linkplain #signal() signals} once its read is
 * done, so that a burst costs one hand-off), and they are handed to the subscriber on an executor,
 * one signal at a time, as it asks for them.
 *
 * <p>Backpressure reaches the sender as credit: this side lets the peer send only as many items as
 * its subscriber has asked for, and never more than a {@link StreamWindow} ahead of what it has
 * taken, so that a slow subscriber slows the sender and the items held here stay fewer than the
 * window. Credit goes back in batches of half a window (or less, when the subscriber asks for
 * less), so that a fast subscriber costs one credit frame per half window.
 *
 * <p>Every signal to the subscriber ({@code onSubscribe} first) runs in one drain loop, entered by
 * whichever thread finds it idle and run on the executor, so that signals never overlap (Reactive
 * Streams rule 1.3) and the connection's thread never runs the subscriber's code.
 */
public final class InboundStream implements Flow.Publisher<Object>, Flow.Subscription {

  private static final Logger log = LoggerFactory.getLogger(InboundStream.class);

  /** What this side tells the peer. Called from the drain loop, or by a cancelling thread. */
  public interface Peer {

    /** Lets the peer send {@code credit} more items (a positive number). */
    void grant(int credit);

    /** The subscriber cancelled: the peer should stop; items still arriving are dropped. */
    void cancel();

    /**
     * The executor refused to run the subscriber (it is full, or shutting down): the subscriber
     * cannot be told anything more, so the call must end here, with this reason.
     */
    void undeliverable(RejectedExecutionException e);
  }

  private final Executor executor;
  private final StreamWindow window = new StreamWindow();
  private final Peer peer;
  private final String description;
  private final Queue<Object> items = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicLong requested = new AtomicLong();
  private final AtomicBoolean cancelCalled = new AtomicBoolean();
  // Credit given to the peer, in all; read by the connection's thread to check what it sends.
  private final AtomicLong granted = new AtomicLong();
  private volatile Flow.Subscriber<? super Object> subscriber;
  private volatile boolean done;
  private volatile Throwable failure;
  private volatile boolean cancelled;
  // Items offered, in all; the connection's thread only.
  private long received;
  // Drain loop only.
  private boolean subscribed;
  private boolean terminated;
  private long delivered;

  /**
   * @param executor where the subscriber is called
   * @param description the call, for messages
   */
  public InboundStream(Executor executor, Peer peer, String description) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.peer = Objects.requireNonNull(peer, "peer");
    this.description = description;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super Object> s) {
    Objects.requireNonNull(s, "subscriber");
    synchronized (this) {
      if (subscriber != null) {
        // Rule 1.9: onSubscribe first, then the refusal.
        s.onSubscribe(NOTHING);
        s.onError(
            new IllegalStateException(
                "the stream of " + description + " has a subscriber already: a call streams once"));
        return;
      }
      subscriber = s;
    }
    drain();
  }

  // --- the connection's side ---

  /**
   * Queues an item from the peer, {@code bytes} long on the wire, without waking the subscriber's
   * side: the connection calls {@link #signal()} once it has read all it has, so that a burst of
   * items costs one hand-off to the executor rather than one per item. Returns false, keeping
   * nothing, if the peer sent more than its credit: a broken peer, whose call should fail.
   */
  public boolean offer(Object item, int bytes) {
    if (++received > granted.get()) {
      return false;
    }
    window.arrived(bytes);
    if (!cancelled) {
      items.add(item);
    }
    return true;
  }

  /** Hands the items queued by {@link #offer} to the subscriber's side. */
  public void signal() {
    drain();
  }

  /** The peer ended the stream: the subscriber completes once it has taken the items before. */
  public void complete() {
    done = true;
    drain();
  }

  /** The call failed: the subscriber gets the failure after the items that came before it. */
  public void fail(Throwable cause) {
    failure = cause;
    done = true;
    drain();
  }

  /** Whether the stream has ended, or its subscriber cancelled. */
  public boolean isDone() {
    return done || cancelled;
  }

  // --- the subscriber's side ---

  @Override
  public void request(long n) {
    if (n <= 0) {
      failure =
          new IllegalArgumentException(
              "request(" + n + ") on the stream of " + description + ": rule 3.9 wants n > 0");
      done = true;
      items.clear();
      cancelPeer();
    } else {
      requested.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
    }
    drain();
  }

  @Override
  public void cancel() {
    cancelled = true;
    items.clear();
    cancelPeer();
  }

  private void cancelPeer() {
    if (cancelCalled.compareAndSet(false, true)) {
      peer.cancel();
    }
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    try {
      executor.execute(this::drainLoop);
    } catch (RejectedExecutionException e) {
      // Nobody will take the items: the stream ends here, and the call with it.
      wip.set(0);
      cancelled = true;
      items.clear();
      if (cancelCalled.compareAndSet(false, true)) {
        peer.undeliverable(e);
      }
    }
  }

  private void drainLoop() {
    int missed = 1;
    while (true) {
      Flow.Subscriber<? super Object> s = subscriber;
      if (s != null && !terminated) {
        try {
          if (!subscribed) {
            subscribed = true;
            s.onSubscribe(this);
          }
          deliver(s);
        } catch (RuntimeException | Error e) {
          // Rule 2.13: a subscriber that throws has broken its contract; it is cancelled.
          terminated = true;
          cancel();
          log.warn(
              "The subscriber of the stream of {} threw; the stream is cancelled", description, e);
        }
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  private void deliver(Flow.Subscriber<? super Object> s) {
    while (!cancelled && delivered < requested.get()) {
      Object item = items.poll();
      if (item == null) {
        break;
      }
      delivered++;
      s.onNext(item);
    }
    if (cancelled) {
      items.clear();
      return;
    }
    if (done && items.isEmpty()) {
      terminated = true;
      Throwable f = failure;
      if (f == null) {
        s.onComplete();
      } else {
        s.onError(f);
      }
      return;
    }
    if (!done) {
      grantCredit();
    }
  }

  /** Gives the peer credit up to what the subscriber wants, within the window, in batches. */
  private void grantCredit() {
    int items = window.items();
    long wanted = requested.get() - delivered;
    long target = Math.min(wanted, items);
    long outstanding = granted.get() - delivered;
    long credit = target - outstanding;
    long batch = Math.max(1, Math.min(target, items / 2));
    if (credit >= batch) {
      granted.addAndGet(credit);
      peer.grant((int) credit);
    }
  }

  private static final Flow.Subscription NOTHING =
      new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      };
}
