package io.minirpc.client;

import io.minirpc.MethodCodec;
import io.minirpc.internal.service.MethodDescriptor;
import java.util.concurrent.CompletableFuture;

/**
 * A request that was sent and waits for its response: the future to complete, how to read the
 * answer, and where it is registered, so that a caller who stops waiting can withdraw it.
 */
final class PendingCall {

  final CompletableFuture<Object> future = new CompletableFuture<>();
  final MethodDescriptor method;
  final MethodCodec codec;
  private volatile ClientConnection connection;
  private volatile long requestId;

  PendingCall(MethodDescriptor method, MethodCodec codec) {
    this.method = method;
    this.codec = codec;
  }

  void sentOn(ClientConnection connection, long requestId) {
    this.requestId = requestId;
    this.connection = connection;
  }

  /** Stops waiting: a response that still arrives is dropped. */
  void withdraw() {
    ClientConnection c = connection;
    if (c != null) {
      c.remove(requestId);
    }
  }
}
