package io.minirpc.internal.protocol;

import io.netty.handler.codec.TooLongFrameException;

/** A frame being written would have a body larger than the peer's maximum. */
public final class FrameTooLargeException extends TooLongFrameException {

  private static final long serialVersionUID = 1L;

  private final int maxBodySize;

  public FrameTooLargeException(int maxBodySize) {
    super("the body would exceed the maximum frame body size of " + maxBodySize + " bytes");
    this.maxBodySize = maxBodySize;
  }

  public int maxBodySize() {
    return maxBodySize;
  }

  /**
   * This exception when it is the failure or one of its causes: serializers may wrap what their
   * output stream threw.
   */
  public static FrameTooLargeException findIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof FrameTooLargeException e) {
        return e;
      }
    }
    return null;
  }
}
