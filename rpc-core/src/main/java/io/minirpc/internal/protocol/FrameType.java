package io.minirpc.internal.protocol;

/**
 * The kinds of frame, by their number in the header's type byte. Number 6 is reserved for cancel.
 */
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
  GOING_AWAY(5);

  private final byte value;

  FrameType(int value) {
    this.value = (byte) value;
  }

  public byte value() {
    return value;
  }
}
