package io.minirpc.internal.protocol;

/** The kinds of frame, by their number in the header's type byte. */
public enum FrameType {
  REQUEST(1),
  RESPONSE(2);

  private final byte value;

  FrameType(int value) {
    this.value = (byte) value;
  }

  public byte value() {
    return value;
  }
}
