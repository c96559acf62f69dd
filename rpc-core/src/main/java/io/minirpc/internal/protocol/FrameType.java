package io.minirpc.internal.protocol;

/**
 * The kinds of frame, by their number in the header's type byte. Numbers 3 and 4 are reserved for
 * heartbeat ping and pong, 6 for cancel.
 */
public enum FrameType {
  REQUEST(1),
  RESPONSE(2),
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
