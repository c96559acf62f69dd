package io.minirpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import java.io.OutputStream;

/**
 * Writes a frame's body straight into its buffer and stops as soon as the body outgrows the
 * maximum, so that an oversized value is not serialized to the end before being refused.
 */
final class BodyOutputStream extends OutputStream {

  private final ByteBuf buf;
  private final int limitIndex;
  private final int maxBodySize;

  BodyOutputStream(ByteBuf buf, int maxBodySize) {
    this.buf = buf;
    this.maxBodySize = maxBodySize;
    this.limitIndex = buf.writerIndex() + maxBodySize;
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf.writeByte(b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    buf.writeBytes(b, off, len);
  }

  private void ensure(int len) {
    if (len > limitIndex - buf.writerIndex()) {
      throw new FrameTooLargeException(maxBodySize);
    }
  }
}
