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
  CANCEL(6);

  private final byte value;

  FrameType(int value) {
    this.value = (byte) value;
  }

  public byte value() {
    return value;
  }
}
