package io.minirpc.internal.protocol;

import io.minirpc.Attachments;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

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
   * Reads the attachment section of a request body (present when the request has {@link
   * FrameHeader#FLAG_ATTACHMENTS}), checking the limits before building any string.
   *
   * @throws RpcException INVALID_ARGUMENT if the section is malformed (truncated, an invalid or
   *     repeated key), RESOURCE_EXHAUSTED if it holds more entries or bytes than the limits allow
   */
  public static Attachments readAttachments(ByteBuf frame, AttachmentLimits limits) {
    if (frame.readableBytes() < 2) {
      throw malformed("the body ends where the number of attachments was expected");
    }
    int count = frame.readUnsignedShort();
    String refusal = limits.refusal(count, 0);
    if (refusal != null) {
      throw Status.RESOURCE_EXHAUSTED.withDescription(refusal).asException();
    }
    // Measure first, so that a section over the limit costs no allocation.
    int start = frame.readerIndex();
    long bytes = 0;
    for (int i = 0; i < 2 * count; i++) {
      if (frame.readableBytes() < 2) {
        throw malformed("attachment " + (i / 2 + 1) + " of " + count + " is cut short");
      }
      int length = frame.readUnsignedShort();
      if (length > frame.readableBytes()) {
        throw malformed("attachment " + (i / 2 + 1) + " of " + count + " is cut short");
      }
      frame.skipBytes(length);
      bytes += length;
    }
    refusal = limits.refusal(count, bytes);
    if (refusal != null) {
      throw Status.RESOURCE_EXHAUSTED.withDescription(refusal).asException();
    }
    frame.readerIndex(start);
    Map<String, String> entries = new HashMap<>(count * 2);
    for (int i = 0; i < count; i++) {
      int keyLength = frame.readUnsignedShort();
      String key = frame.readCharSequence(keyLength, StandardCharsets.US_ASCII).toString();
      int valueLength = frame.readUnsignedShort();
      String value = frame.readCharSequence(valueLength, StandardCharsets.UTF_8).toString();
      if (!isLowerCaseKey(key)) {
        throw malformed("attachment " + (i + 1) + " has an invalid key");
      }
      if (entries.put(key, value) != null) {
        throw malformed("attachment key '" + key + "' appears twice");
      }
    }
    return Attachments.of(entries);
  }

  /** A valid key already in lower case, as writers must send it. */
  private static boolean isLowerCaseKey(String key) {
    if (!Attachments.isValidKey(key)) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return false;
      }
    }
    return true;
  }

  private static RpcException malformed(String what) {
    return Status.INVALID_ARGUMENT
        .withDescription("malformed request attachments: " + what)
        .asException();
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
