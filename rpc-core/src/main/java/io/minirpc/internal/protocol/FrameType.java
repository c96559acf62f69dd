package io.minirpc.internal.protocol;

/** The kinds of frame, by their number in the header's type byte. */
public enum FrameType {
  REQUEST(1),
  RESPONSE(2),
  /**
   * Either way: are you there? Header only, any request id; the peer answers with a {@link #PONG}
   * carrying the same id. A peer sends one when it has read nothing for a while, so that a stalled
   * or vanished peer is noticed.
   */
  PING(3),
  /** The answer to a {@link #PING}: header only, the ping's request id echoed. */
  PONG(4),
  /**
   * Server to client: the server is shutting down; send no new calls on this connection, the calls
   * in flight will still be answered. The client closes the connection once it has their answers;
   * the server waits for that, within its grace period, refusing as not run the requests that
   * crossed this frame on the wire.
   */
  GOING_AWAY(5),
  /**
   * Client to server: the caller gave up on the request of this id (its deadline passed, or it was
   * cancelled). Header only. The server does not start the call if it has not started yet, and
   * sends no answer to it; an id it does not know (an answered call, say) is ignored. Sent only to
   * a server whose responses carry {@link FrameHeader#FLAG_TAKES_CANCEL}: an older one takes a
   * frame of this type for a protocol error.
   */
  CANCEL(6),
  /**
   * Either way, within a stream call (a request with {@link FrameHeader#FLAG_STREAM}): one item of
   * the call's request stream (client to server) or response stream (server to client), written by
   * the call's serializer. Sent only within the credit the receiver granted.
   */
  STREAM_ITEM(7),
  /**
   * Client to server: the call's request stream is complete; no more items follow. Header only.
   * (The server ends a stream call with its response frame.)
   */
  STREAM_END(8),
  /**
   * Either way: the receiver of a stream's items lets the sender send this many more. Body: u32.
   */
  STREAM_CREDIT(9);

  private final byte value;

  FrameType(int value) {
    this.value = (byte) value;
  }

  public byte value() {
    return value;
  }
}
