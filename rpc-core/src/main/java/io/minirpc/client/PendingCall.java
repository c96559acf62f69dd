package io.minirpc.client;

import io.minirpc.MethodCodec;
import io.minirpc.internal.service.MethodDescriptor;
import java.util.concurrent.CompletableFuture;

/**
 * A request that was sent and waits for its response: the future to complete, how to read the
 * answer, and where it is registered, so that a caller who stops waiting can withdraw it.
 *
 * <p>The result of a blocking call is decoded by its caller's thread, which waits anyway: the event
 * loop completes the future with the result's bytes ({@link ResultBytes}), so that one loop does
 * not decode the answers of every caller in turn. An async call's future gets the decoded result.
 */
final class PendingCall {

  final CompletableFuture<Object> future = new CompletableFuture<>();
  final MethodDescriptor method;
  final MethodCodec codec;
  final boolean callerDecodes;
  private volatile ClientConnection connection;
  private volatile long requestId;

  PendingCall(MethodDescriptor method, MethodCodec codec, boolean callerDecodes) {
    this.method = method;
    this.codec = codec;
    this.callerDecodes = callerDecodes;
  }

  /** The encoded result of a successful call, copied out of the frame for the caller to decode. */
  record ResultBytes(byte[] bytes) {}

  void sentOn(ClientConnection connection, long requestId) {
    this.requestId = requestId;
    this.connection = connection;
  }

  /**
   * Stops waiting: a response that still arrives is dropped, and the server is told if the call was
   * still pending (see {@link ClientConnection#withdraw}).
   */
  void withdraw() {
    ClientConnection c = connection;
    if (c != null) {
      c.withdraw(requestId);
    }
  }
}
