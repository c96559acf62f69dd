package io.minirpc.internal.protocol;

import io.minirpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of a whole frame as produced by {@link FrameDecoder}: header accessors that
 * leave the buffer untouched, and readers of the body's strings that advance it.
 */
public final class FrameReader {

  private FrameReader() {}

  public static byte type(ByteBuf frame) {
    return frame.getByte(frame.readerIndex() + FrameHeader.TYPE_OFFSET);
  }

  public static int flags(ByteBuf frame) {
    return frame.getByte(frame.readerIndex() + FrameHeader.FLAGS_OFFSET) & 0xFF;
  }

  public static int serializerId(ByteBuf frame) {
    return frame.getByte(frame.readerIndex() + FrameHeader.SERIALIZER_OFFSET) & 0xFF;
  }

  public static Status.Code status(ByteBuf frame) {
    return Status.Code.of(frame.getByte(frame.readerIndex() + FrameHeader.STATUS_OFFSET) & 0xFF);
  }

  public static long requestId(ByteBuf frame) {
    return frame.getLong(frame.readerIndex() + FrameHeader.REQUEST_ID_OFFSET);
  }

  /** The caller's remaining budget in milliseconds; 0 when the caller set none. */
  public static int timeoutMillis(ByteBuf frame) {
    return frame.getInt(frame.readerIndex() + FrameHeader.TIMEOUT_OFFSET);
  }

  /** Moves the reader index past the header, to the body. */
  public static void skipHeader(ByteBuf frame) {
    frame.skipBytes(FrameHeader.SIZE);
  }

  /**
   * Reads a length-prefixed UTF-8 string of the body.
   *
   * @throws CorruptedFrameException if its length runs past the end of the frame
   */
  public static String readString(ByteBuf frame) {
    if (frame.readableBytes() < 2) {
      throw new CorruptedFrameException("frame body ends where a string length was expected");
    }
    int length = frame.readUnsignedShort();
    if (length > frame.readableBytes()) {
      throw new CorruptedFrameException(
          "string of "
              + length
              + " bytes runs past the end of the frame body ("
              + frame.readableBytes()
              + " bytes left)");
    }
    String s = frame.toString(frame.readerIndex(), length, StandardCharsets.UTF_8);
    frame.skipBytes(length);
    return s;
  }
}
