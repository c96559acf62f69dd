package io.minirpc.client;

import io.minirpc.internal.transport.WriteQueue;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * Whether a connection can take another request without its outbound buffer growing past the high
 * water mark, and a signal for the callers waiting until it can.
 *
 * <p>The frames still in the {@link WriteQueue} count too: the channel's own writability only
 * counts what has reached the event loop, and many threads may queue faster than it drains. Room is
 * announced when the channel becomes writable again (below the low water mark), after each drain of
 * the queue, and when the connection closes (then the waiters find it closed).
 */
final class OutboundRoom {

  private static final CompletableFuture<Void> NOW = CompletableFuture.completedFuture(null);

  private final Channel channel;
  private final WriteQueue writes;
  private final Object lock = new Object();
  // Completed and cleared when room may have come; null while nobody waits.
  private volatile CompletableFuture<Void> freed;

  OutboundRoom(Channel channel, WriteQueue writes) {
    this.channel = channel;
    this.writes = writes;
  }

  /** Whether a request may be queued now. */
  boolean available() {
    return channel.bytesBeforeUnwritable() > writes.bytesQueued();
  }

  /**
   * Completes when there may be room: check {@link #available()} again then, since every waiter is
   * woken at once. Completes on the event loop: what depends on it must not block.
   */
  CompletableFuture<Void> whenAvailable() {
    if (available() || !channel.isActive()) {
      return NOW;
    }
    CompletableFuture<Void> f;
    synchronized (lock) {
      f = freed;
      if (f == null) {
        f = new CompletableFuture<>();
        freed = f;
      }
    }
    // Room may have come between the check above and the signal being set up, unseen by the
    // event loop: it changes the state and then reads the signal, this thread the other way round.
    mayHaveFreed();
    return f;
  }

  /** Wakes the waiters if there is room now, or the connection has closed. */
  void mayHaveFreed() {
    if (freed == null || (!available() && channel.isActive())) {
      return;
    }
    CompletableFuture<Void> f;
    synchronized (lock) {
      f = freed;
      freed = null;
    }
    if (f != null) {
      f.complete(null);
    }
  }
}
