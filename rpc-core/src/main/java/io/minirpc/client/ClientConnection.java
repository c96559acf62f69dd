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
  private volatile String closeReason;

  ClientConnection(Provider provider, Channel channel) {
    this.provider = provider;
    this.channel = channel;
    this.writes = new WriteQueue(channel);
  }

  Provider provider() {
    return provider;
  }

  boolean isActive() {
    return channel.isActive();
  }

  /** Sends a request and registers the call that waits for its response. Owns the frame. */
  void send(long requestId, ByteBuf frame, PendingCall call) {
    call.sentOn(this, requestId);
    pending.put(requestId, call);
    // Registered before this check, the call is seen by failAll if the channel closes after it.
    if (!channel.isActive()) {
      pending.remove(requestId);
      frame.release();
      call.future.completeExceptionally(unavailable());
      return;
    }
    writes.enqueue(frame);
  }

  /** Sends a request that expects no response. Owns the frame. */
  void sendOneWay(ByteBuf frame) {
    if (!channel.isActive()) {
      frame.release();
      throw unavailable();
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
  void failAll() {
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

  int pendingCount() {
    return pending.size();
  }
}
