package io.minirpc.internal.protocol;

import io.minirpc.Attachments;
import io.minirpc.MethodCodec;
import io.minirpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes whole frames into pooled buffers, header and body in one pass: the serializer writes
 * straight into the frame, and the length field is filled in afterwards.
 *
 * <p>Request body: {@code u16 serviceKeyLength, serviceKey (UTF-8), u16 methodKeyLength, methodKey
 * (UTF-8), [attachments], arguments (serializer's bytes)}, where the attachments, present only with
 * {@link FrameHeader#FLAG_ATTACHMENTS}, are {@code u16 count, count x (u16 keyLength, key (ASCII,
 * lower case), u16 valueLength, value (UTF-8))}. Response body when the status is OK: the result
 * (serializer's bytes). Response body otherwise: {@code u16 length, remote type (UTF-8, empty when
 * the service did not throw), u16 length, message (UTF-8)}.
 */
public final class FrameWriter {

  /** Flags every response of this version carries: what this server can do. */
  private static final int RESPONSE_FLAGS = FrameHeader.FLAG_TAKES_CANCEL;

  /** Messages are cut to this many chars so that their UTF-8 form always fits a u16 length. */
  static final int MAX_MESSAGE_CHARS = 16_000;

  private FrameWriter() {}

  /**
   * A request frame without attachments.
   *
   * @throws FrameTooLargeException if the body would exceed {@code maxBodySize}
   * @throws IOException or any exception of the codec, when the arguments cannot be encoded
   */
  public static ByteBuf request(
      ByteBufAllocator alloc,
      long requestId,
      int flags,
      int serializerId,
      int timeoutMillis,
      byte[] serviceKey,
      byte[] methodKey,
      MethodCodec codec,
      Object[] arguments,
      int maxBodySize)
      throws IOException {
    return request(
        alloc,
        requestId,
        flags,
        serializerId,
        timeoutMillis,
        serviceKey,
        methodKey,
        Attachments.EMPTY,
        codec,
        arguments,
        maxBodySize);
  }

  /**
   * A request frame; with {@link FrameHeader#FLAG_ATTACHMENTS} set when there are attachments.
   *
   * @throws FrameTooLargeException if the body would exceed {@code maxBodySize}
   * @throws IllegalArgumentException if there are more than 65,535 attachments, or a value's UTF-8
   *     form is longer than 65,535 bytes
   * @throws IOException or any exception of the codec, when the arguments cannot be encoded
   */
  public static ByteBuf request(
      ByteBufAllocator alloc,
      long requestId,
      int flags,
      int serializerId,
      int timeoutMillis,
      byte[] serviceKey,
      byte[] methodKey,
      Attachments attachments,
      MethodCodec codec,
      Object[] arguments,
      int maxBodySize)
      throws IOException {
    return request(
        alloc,
        requestId,
        flags,
        serializerId,
        timeoutMillis,
        serviceKey,
        methodKey,
        attachments,
        -1,
        codec,
        arguments,
        maxBodySize);
  }

  /**
   * The request that opens a stream call: {@link FrameHeader#FLAG_STREAM} set, and the caller's
   * first credit for the response stream written between the attachments and the arguments.
   *
   * @param firstCredit how many response items the server may send before it hears from the caller
   *     again; 0 for a method without a response stream
   * @throws FrameTooLargeException if the body would exceed {@code maxBodySize}
   * @throws IOException or any exception of the codec, when the arguments cannot be encoded
   */
  public static ByteBuf streamRequest(
      ByteBufAllocator alloc,
      long requestId,
      int serializerId,
      byte[] serviceKey,
      byte[] methodKey,
      Attachments attachments,
      int firstCredit,
      MethodCodec codec,
      Object[] arguments,
      int maxBodySize)
      throws IOException {
    if (firstCredit < 0) {
      throw new IllegalArgumentException("firstCredit must not be negative: " + firstCredit);
    }
    return request(
        alloc,
        requestId,
        FrameHeader.FLAG_STREAM,
        serializerId,
        0,
        serviceKey,
        methodKey,
        attachments,
        firstCredit,
        codec,
        arguments,
        maxBodySize);
  }

  private static ByteBuf request(
      ByteBufAllocator alloc,
      long requestId,
      int flags,
      int serializerId,
      int timeoutMillis,
      byte[] serviceKey,
      byte[] methodKey,
      Attachments attachments,
      int firstCredit,
      MethodCodec codec,
      Object[] arguments,
      int maxBodySize)
      throws IOException {
    ByteBuf buf = alloc.ioBuffer(256);
    try {
      if (!attachments.isEmpty()) {
        flags |= FrameHeader.FLAG_ATTACHMENTS;
      }
      writeHeader(buf, FrameType.REQUEST, flags, serializerId, Status.Code.OK, requestId);
      buf.writeInt(timeoutMillis);
      buf.writeInt(0);
      BodyOutputStream body = new BodyOutputStream(buf, maxBodySize);
      // The keys count against the body's limit too: the stream's limit was fixed above.
      buf.writeShort(serviceKey.length).writeBytes(serviceKey);
      buf.writeShort(methodKey.length).writeBytes(methodKey);
      if (!attachments.isEmpty()) {
        writeAttachments(buf, attachments);
        if (buf.readableBytes() - FrameHeader.SIZE > maxBodySize) {
          throw new FrameTooLargeException(maxBodySize);
        }
      }
      if (firstCredit >= 0) {
        buf.writeInt(firstCredit);
      }
      codec.writeArguments(arguments == null ? NO_ARGUMENTS : arguments, body);
      return finish(buf);
    } catch (Throwable t) {
      buf.release();
      throw t;
    }
  }

  /** Writes one item of a stream into a frame's body. */
  @FunctionalInterface
  public interface ItemEncoder {
    void write(Object item, OutputStream out) throws IOException;
  }

  /**
   * One item of a stream call, either way.
   *
   * @throws FrameTooLargeException if the body would exceed {@code maxBodySize}
   * @throws IOException or any exception of the encoder, when the item cannot be encoded
   */
  public static ByteBuf streamItem(
      ByteBufAllocator alloc,
      long requestId,
      int serializerId,
      ItemEncoder encoder,
      Object item,
      int maxBodySize)
      throws IOException {
    ByteBuf buf = alloc.ioBuffer(256);
    try {
      writeHeader(buf, FrameType.STREAM_ITEM, 0, serializerId, Status.Code.OK, requestId);
      buf.writeInt(0);
      buf.writeInt(0);
      encoder.write(item, new BodyOutputStream(buf, maxBodySize));
      return finish(buf);
    } catch (Throwable t) {
      buf.release();
      throw t;
    }
  }

  /** Client to server: the request stream of this call is complete. Header only. */
  public static ByteBuf streamEnd(ByteBufAllocator alloc, long requestId) {
    return headerOnly(alloc, FrameType.STREAM_END, requestId);
  }

  /** Either way: the sender of this call's items may send {@code credit} more. Body: u32. */
  public static ByteBuf streamCredit(ByteBufAllocator alloc, long requestId, int credit) {
    if (credit < 0) {
      throw new IllegalArgumentException("credit must not be negative: " + credit);
    }
    ByteBuf buf = alloc.ioBuffer(FrameHeader.SIZE + 4);
    writeHeader(buf, FrameType.STREAM_CREDIT, 0, 0, Status.Code.OK, requestId);
    buf.writeInt(0);
    buf.writeInt(4);
    buf.writeInt(credit);
    return buf;
  }

  /**
   * A response frame carrying a successful result.
   *
   * @throws FrameTooLargeException if the body would exceed {@code maxBodySize}
   * @throws IOException or any exception of the codec, when the result cannot be encoded
   */
  public static ByteBuf response(
      ByteBufAllocator alloc,
      long requestId,
      int serializerId,
      MethodCodec codec,
      Object result,
      int maxBodySize)
      throws IOException {
    ByteBuf buf = alloc.ioBuffer(256);
    try {
      writeHeader(buf, FrameType.RESPONSE, RESPONSE_FLAGS, serializerId, Status.Code.OK, requestId);
      buf.writeInt(0);
      buf.writeInt(0);
      codec.writeResult(result, new BodyOutputStream(buf, maxBodySize));
      return finish(buf);
    } catch (Throwable t) {
      buf.release();
      throw t;
    }
  }

  /** The OK response that ends a stream call whose response stream is complete: no body. */
  public static ByteBuf endOfStream(ByteBufAllocator alloc, long requestId, int serializerId) {
    ByteBuf buf = alloc.ioBuffer(FrameHeader.SIZE);
    writeHeader(buf, FrameType.RESPONSE, RESPONSE_FLAGS, serializerId, Status.Code.OK, requestId);
    buf.writeInt(0);
    buf.writeInt(0);
    return buf;
  }

  /** A response frame reporting a failure; {@code remoteType} may be {@code null}. */
  public static ByteBuf error(
      ByteBufAllocator alloc, long requestId, int serializerId, Status status, String remoteType) {
    return error(alloc, requestId, 0, serializerId, status, remoteType);
  }

  /**
   * A response frame reporting a failure, with response flags such as {@link
   * FrameHeader#FLAG_UNPROCESSED}.
   */
  public static ByteBuf error(
      ByteBufAllocator alloc,
      long requestId,
      int flags,
      int serializerId,
      Status status,
      String remoteType) {
    String message = status.description() == null ? "" : status.description();
    if (message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
    String type = remoteType == null ? "" : remoteType;
    ByteBuf buf = alloc.ioBuffer(FrameHeader.SIZE + 4 + type.length() + message.length() * 3);
    writeHeader(
        buf, FrameType.RESPONSE, flags | RESPONSE_FLAGS, serializerId, status.code(), requestId);
    buf.writeInt(0);
    buf.writeInt(0);
    writeString(buf, type);
    writeString(buf, message);
    return finish(buf);
  }

  /** A going-away frame: no request id, no body. */
  public static ByteBuf goingAway(ByteBufAllocator alloc) {
    return headerOnly(alloc, FrameType.GOING_AWAY, 0);
  }

  /** A heartbeat ping: no body; the pong that answers it carries the same id. */
  public static ByteBuf ping(ByteBufAllocator alloc, long id) {
    return headerOnly(alloc, FrameType.PING, id);
  }

  /** The answer to the ping of this id: no body. */
  public static ByteBuf pong(ByteBufAllocator alloc, long id) {
    return headerOnly(alloc, FrameType.PONG, id);
  }

  /** Tells the server that nobody waits for the answer to the request of this id any more. */
  public static ByteBuf cancel(ByteBufAllocator alloc, long requestId) {
    return headerOnly(alloc, FrameType.CANCEL, requestId);
  }

  private static ByteBuf headerOnly(ByteBufAllocator alloc, FrameType type, long id) {
    ByteBuf buf = alloc.ioBuffer(FrameHeader.SIZE);
    writeHeader(buf, type, 0, 0, Status.Code.OK, id);
    buf.writeInt(0);
    buf.writeInt(0);
    return buf;
  }

  private static final Object[] NO_ARGUMENTS = new Object[0];

  private static void writeHeader(
      ByteBuf buf,
      FrameType type,
      int flags,
      int serializerId,
      Status.Code status,
      long requestId) {
    buf.writeShort(FrameHeader.MAGIC);
    buf.writeByte(FrameHeader.VERSION);
    buf.writeByte(type.value());
    buf.writeByte(flags);
    buf.writeByte(serializerId);
    buf.writeByte(status.value());
    buf.writeByte(0);
    buf.writeLong(requestId);
  }

  private static void writeAttachments(ByteBuf buf, Attachments attachments) {
    if (attachments.size() > 0xFFFF) {
      throw new IllegalArgumentException(
          "a request carries at most 65535 attachments, not " + attachments.size());
    }
    buf.writeShort(attachments.size());
    for (Map.Entry<String, String> e : attachments.asMap().entrySet()) {
      // Keys are checked ASCII of at most 255 characters.
      buf.writeShort(e.getKey().length());
      buf.writeCharSequence(e.getKey(), StandardCharsets.US_ASCII);
      int lengthIndex = buf.writerIndex();
      buf.writeShort(0);
      int written = ByteBufUtil.writeUtf8(buf, e.getValue());
      if (written > 0xFFFF) {
        throw new IllegalArgumentException(
            "the value of attachment '"
                + e.getKey()
                + "' takes "
                + written
                + " bytes in UTF-8, over the 65535 a value may take");
      }
      buf.setShort(lengthIndex, written);
    }
  }

  private static void writeString(ByteBuf buf, String s) {
    int lengthIndex = buf.writerIndex();
    buf.writeShort(0);
    int written = ByteBufUtil.writeUtf8(buf, s);
    buf.setShort(lengthIndex, written);
  }

  private static ByteBuf finish(ByteBuf buf) {
    buf.setInt(
        buf.readerIndex() + FrameHeader.LENGTH_OFFSET, buf.readableBytes() - FrameHeader.SIZE);
    return buf;
  }
}
