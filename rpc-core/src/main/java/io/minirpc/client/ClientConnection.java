package io.minirpc.client;

import io.minirpc.Provider;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.internal.transport.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection to a provider, shared by many concurrent calls: requests are matched to responses
 * by request id, and when the connection closes every call still pending on it fails at once with
 * UNAVAILABLE.
 */
final class ClientConnection {

  private final Provider provider;
  private final Channel channel;
  private final WriteQueue writes;
  private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
  private final ConnectionEvents events;
  private volatile String closeReason;
  private volatile boolean goingAway;

  ClientConnection(Provider provider, Channel channel, ConnectionEvents events) {
    this.provider = provider;
    this.channel = channel;
    this.events = events;
    this.writes = new WriteQueue(channel);
  }

  Provider provider() {
    return provider;
  }

  /** Whether new calls may use this connection: it is open and the server is not going away. */
  boolean isUsable() {
    return !goingAway && channel.isActive();
  }

  /** The server said it is going away: no new calls here; those in flight will be answered. */
  void goingAway() {
    goingAway = true;
    events.goingAway(provider);
  }

  /** Sends a request and registers the call that waits for its response. Owns the frame. */
  void send(long requestId, ByteBuf frame, PendingCall call) {
    call.sentOn(this, requestId);
    pending.put(requestId, call);
    // Registered before this check, the call is seen by failAll if the channel closes after it.
    if (!channel.isActive()) {
      pending.remove(requestId);
      frame.release();
      call.future.completeExceptionally(notSent());
      return;
    }
    writes.enqueue(frame);
  }

  /** Sends a request that expects no response. Owns the frame. */
  void sendOneWay(ByteBuf frame) {
    if (!channel.isActive()) {
      frame.release();
      throw notSent();
    }
    writes.enqueue(frame);
  }

  /** The pending call of this id, now no longer pending; {@code null} if there is none. */
  PendingCall remove(long requestId) {
    return pending.remove(requestId);
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
  }

  private void failAll() {
    RpcException failure = unavailable();
    for (Long id : pending.keySet()) {
      PendingCall call = pending.remove(id);
      if (call != null) {
        call.future.completeExceptionally(failure);
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
    String reason = closeReason;
    return new UnprocessedRequestException(
        "connection to "
            + provider.address()
            + " closed before the request was sent"
            + (reason == null ? "" : " (" + reason + ")"),
        null);
  }

  int pendingCount() {
    return pending.size();
  }
}
