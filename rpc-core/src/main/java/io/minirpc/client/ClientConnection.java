package io.minirpc.client;

import io.minirpc.Provider;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.internal.protocol.FrameWriter;
import io.minirpc.internal.transport.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection to a provider, shared by many concurrent calls: requests are matched to responses
 * by request id, and when the connection closes every call still pending on it fails at once with
 * UNAVAILABLE.
 *
 * <p>When the server says it is going away, the connection takes no new call, and this side closes
 * it as soon as no call is pending on it any more: the server waits for that (within its grace
 * period) rather than closing first, since a request sent before its notice arrived may still be on
 * the way, and would be lost with the connection.
 *
 * <p>A call withdrawn before its answer arrived (its deadline passed, or its caller cancelled it)
 * is cancelled on the server with a cancel frame, once the server has shown (by a flag on its
 * responses) that it takes them: an older server would close the connection on one.
 *
 * <p>{@link Heartbeats} close it, with their reason, when the server stops answering pings.
 */
final class ClientConnection {

  private final Provider provider;
  private final Channel channel;
  private final WriteQueue writes;
  private final OutboundRoom room;
  private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
  // The size of pending, exact at every moment, unlike the map's: decides when a going-away
  // connection is drained.
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final ConnectionEvents events;
  private volatile String closeReason;
  private volatile boolean goingAway;
  private volatile boolean serverTakesCancel;

  ClientConnection(Provider provider, Channel channel, ConnectionEvents events) {
    this.provider = provider;
    this.channel = channel;
    this.events = events;
    this.writes = new WriteQueue(channel, this::roomMayHaveFreed);
    this.room = new OutboundRoom(channel, writes);
  }

  Provider provider() {
    return provider;
  }

  /** Whether new calls may use this connection: it is open and the server is not going away. */
  boolean isUsable() {
    return !goingAway && channel.isActive();
  }

  /**
   * The server said it is going away: no new calls here; those in flight will be answered, and once
   * they are, this side closes the connection.
   */
  void goingAway() {
    goingAway = true;
    events.goingAway(provider);
    closeIfDrained();
  }

  /**
   * Whether a request may be sent now without the outbound buffer growing past its high water mark:
   * the server (or the network) takes the bytes as fast as they come.
   */
  boolean hasRoom() {
    return room.available();
  }

  /**
   * Completes, on the event loop, when there may be room for a request again, or the connection has
   * closed; check {@link #hasRoom()} then.
   */
  CompletableFuture<Void> whenRoom() {
    return room.whenAvailable();
  }

  /** The channel became writable or unwritable, or the queue drained. */
  void roomMayHaveFreed() {
    room.mayHaveFreed();
  }

  /** Sends a request and registers the call that waits for its response. Owns the frame. */
  void send(long requestId, ByteBuf frame, PendingCall call) {
    call.sentOn(this, requestId);
    pending.put(requestId, call);
    pendingCount.incrementAndGet();
    // Registered before these checks, the call is seen by failAll if the channel closes after
    // them, and keeps closeIfDrained from closing if the server's notice came after them.
    if (goingAway || !channel.isActive()) {
      remove(requestId);
      frame.release();
      if (goingAway) {
        call.fail(notSent());
      } else {
        // Failed in a task of its own on the event loop, once the handler that closed the channel
        // has had its say: a TLS failure closes the channel first and names its reason just after.
        channel
            .closeFuture()
            .addListener(closed -> channel.eventLoop().execute(() -> call.fail(notSent())));
      }
      return;
    }
    writes.enqueue(frame);
  }

  /** Sends a request that expects no response. Owns the frame. */
  void sendOneWay(ByteBuf frame) {
    if (goingAway || !channel.isActive()) {
      frame.release();
      throw notSent();
    }
    writes.enqueue(frame);
  }

  /**
   * Queues a frame of a stream call in progress (an item, credit, the end of the request stream).
   * Owns the frame; on a closed connection it is dropped, and the call fails as the connection's
   * calls do.
   */
  void sendStreamFrame(ByteBuf frame) {
    if (!channel.isActive()) {
      frame.release();
      return;
    }
    writes.enqueue(frame);
  }

  /** The call pending under this id, left pending; {@code null} if there is none. */
  PendingCall pendingCall(long requestId) {
    return pending.get(requestId);
  }

  /** The server's responses say that it takes cancel frames. */
  void serverTakesCancel() {
    // Read first: a volatile write per response would cost more than this read.
    if (!serverTakesCancel) {
      serverTakesCancel = true;
    }
  }

  /**
   * The caller stops waiting for the call of this id: an answer that still arrives is dropped, and
   * if the call was still pending the server is told, so that it skips the work if it has not
   * started it and sends no answer. An answered call is not pending any more: nothing is sent.
   */
  void withdraw(long requestId) {
    PendingCall call = pending.remove(requestId);
    if (call == null) {
      return;
    }
    if (serverTakesCancel && channel.isActive()) {
      // Queued before a close that draining may cause below, so it is written before that.
      writes.enqueue(FrameWriter.cancel(channel.alloc(), requestId));
    }
    pendingCount.decrementAndGet();
    closeIfDrained();
  }

  /** The pending call of this id, now no longer pending; {@code null} if there is none. */
  PendingCall remove(long requestId) {
    PendingCall call = pending.remove(requestId);
    if (call != null) {
      pendingCount.decrementAndGet();
      closeIfDrained();
    }
    return call;
  }

  /** Closes a connection the server is going away from once no call waits on it. */
  private void closeIfDrained() {
    if (goingAway && pendingCount.get() == 0 && channel.isActive()) {
      closeBecause("the server is going away");
    }
  }

  /** Remembers why the connection is about to be closed, for the calls that fail because of it. */
  void closeBecause(String reason) {
    closeReason = reason;
    channel.close();
  }

  void close() {
    channel.close();
  }

  /** Fails every pending call: the connection has closed. */
  void closed() {
    events.closed(provider, goingAway);
    failAll();
    room.mayHaveFreed();
  }

  private void failAll() {
    RpcException failure = unavailable();
    for (Long id : pending.keySet()) {
      PendingCall call = pending.remove(id);
      if (call != null) {
        pendingCount.decrementAndGet();
        call.fail(failure);
      }
    }
  }

  private RpcException unavailable() {
    String reason = closeReason;
    return Status.UNAVAILABLE
        .withDescription(
            "connection to "
                + provider.address()
                + " closed before the answer arrived"
                + (reason == null ? "" : " (" + reason + ")"))
        .asException();
  }

  private UnprocessedRequestException notSent() {
    if (goingAway && channel.isActive()) {
      return new UnprocessedRequestException(
          provider.address() + " is going away; the request was not sent", null);
    }
    String reason = closeReason;
    return new UnprocessedRequestException(
        "connection to "
            + provider.address()
            + " closed before the request was sent"
            + (reason == null ? "" : " (" + reason + ")"),
        null);
  }

  int pendingCount() {
    return pendingCount.get();
  }
}
