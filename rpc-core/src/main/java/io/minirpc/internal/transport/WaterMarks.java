package io.minirpc.internal.transport;

import io.netty.channel.WriteBufferWaterMark;

/**
 * The write-buffer water marks of client and server connections: the defaults both sides share, and
 * the check of configured ones.
 */
public final class WaterMarks {

  /** 512 KiB and 1 MiB: room for a few large frames, and a bound on what a slow peer can pin. */
  public static final WriteBufferWaterMark DEFAULT =
      new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

  private WaterMarks() {}

  /**
   * @throws IllegalArgumentException unless {@code 0 < lowBytes <= highBytes}
   */
  public static WriteBufferWaterMark of(int lowBytes, int highBytes) {
    if (lowBytes < 1 || highBytes < lowBytes) {
      throw new IllegalArgumentException(
          "writeBufferWaterMark needs 0 < lowBytes <= highBytes: " + lowBytes + ", " + highBytes);
    }
    return new WriteBufferWaterMark(lowBytes, highBytes);
  }
}
