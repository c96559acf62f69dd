package io.minirpc.internal.protocol;

import io.netty.handler.codec.CorruptedFrameException;

/** A frame announced a protocol version this implementation does not speak. */
public final class UnsupportedVersionException extends CorruptedFrameException {

  private static final long serialVersionUID = 1L;

  private final int version;
  private final long requestId;
  private final boolean request;

  public UnsupportedVersionException(int version, long requestId, boolean request) {
    super(
        "protocol version "
            + version
            + " is not supported; this peer speaks version "
            + FrameHeader.VERSION);
    this.version = version;
    this.requestId = requestId;
    this.request = request;
  }

  public int version() {
    return version;
  }

  /** The request id of the frame, so that a server can answer it before closing. */
  public long requestId() {
    return requestId;
  }

  /** Whether the frame claimed to be a request, so that an answer makes sense. */
  public boolean isRequest() {
    return request;
  }
}
