package io.minirpc.testing;

import io.minirpc.Attachments;
import io.minirpc.MethodCodec;
import io.minirpc.Status;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameReader;
import io.minirpc.internal.protocol.FrameWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds frames by hand and reads error responses, for tests of what servers refuse and of what
 * clients send.
 */
public final class RawFrames {

  private RawFrames() {}

  /** A request whose argument bytes are exactly {@code body}, whatever they mean. */
  public static ByteBuf request(
      long requestId, int flags, int serializerId, String service, String method, byte[] body) {
    return request(requestId, flags, serializerId, service, method, Attachments.EMPTY, body);
  }

  /** A request with these attachments, whose argument bytes are exactly {@code body}. */
  public static ByteBuf request(
      long requestId,
      int flags,
      int serializerId,
      String service,
      String method,
      Attachments attachments,
      byte[] body) {
    return request(requestId, flags, serializerId, 5_000, service, method, attachments, body);
  }

  /** A request whose timeout field is 0: the caller set no deadline. */
  public static ByteBuf requestWithoutTimeout(
      long requestId, int serializerId, String service, String method, byte[] body) {
    return request(requestId, 0, serializerId, 0, service, method, Attachments.EMPTY, body);
  }

  private static ByteBuf request(
      long requestId,
      int flags,
      int serializerId,
      int timeoutMillis,
      String service,
      String method,
      Attachments attachments,
      byte[] body) {
    try {
      return FrameWriter.request(
          UnpooledByteBufAllocator.DEFAULT,
          requestId,
          flags,
          serializerId,
          timeoutMillis,
          service.getBytes(StandardCharsets.UTF_8),
          method.getBytes(StandardCharsets.UTF_8),
          attachments,
          new RawBytesCodec(body),
          new Object[0],
          FrameHeader.DEFAULT_MAX_BODY_SIZE);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The request opening a stream call, with this first credit and argument bytes {@code body}. */
  public static ByteBuf streamRequest(
      long requestId,
      int serializerId,
      String service,
      String method,
      int firstCredit,
      byte[] body) {
    try {
      return FrameWriter.streamRequest(
          UnpooledByteBufAllocator.DEFAULT,
          requestId,
          serializerId,
          service.getBytes(StandardCharsets.UTF_8),
          method.getBytes(StandardCharsets.UTF_8),
          Attachments.EMPTY,
          firstCredit,
          new RawBytesCodec(body),
          new Object[0],
          FrameHeader.DEFAULT_MAX_BODY_SIZE);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An item of a stream call whose bytes are exactly {@code body}. */
  public static ByteBuf streamItem(long requestId, int serializerId, byte[] body) {
    try {
      return FrameWriter.streamItem(
          UnpooledByteBufAllocator.DEFAULT,
          requestId,
          serializerId,
          (item, out) -> out.write(body),
          null,
          FrameHeader.DEFAULT_MAX_BODY_SIZE);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A successful response whose result bytes are exactly {@code result}, as a server writes it. */
  public static ByteBuf response(long requestId, int serializerId, byte[] result) {
    try {
      return FrameWriter.response(
          UnpooledByteBufAllocator.DEFAULT,
          requestId,
          serializerId,
          new RawBytesCodec(result),
          null,
          FrameHeader.DEFAULT_MAX_BODY_SIZE);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A cancel of the request of this id. */
  public static ByteBuf cancel(long requestId) {
    return FrameWriter.cancel(UnpooledByteBufAllocator.DEFAULT, requestId);
  }

  /** A ping of this id. */
  public static ByteBuf ping(long id) {
    return FrameWriter.ping(UnpooledByteBufAllocator.DEFAULT, id);
  }

  /** The type byte of a frame. */
  public static byte type(byte[] frame) {
    return frame[FrameHeader.TYPE_OFFSET];
  }

  /** The status of an error response, with the message it carries. */
  public static Status status(byte[] frame) {
    ByteBuf buf = Unpooled.wrappedBuffer(frame);
    Status.Code code = FrameReader.status(buf);
    FrameReader.skipHeader(buf);
    FrameReader.readString(buf);
    return code.toStatus().withDescription(FrameReader.readString(buf));
  }

  public static long requestId(byte[] frame) {
    return FrameReader.requestId(Unpooled.wrappedBuffer(frame));
  }

  /** Writes fixed bytes as "arguments" or "result". */
  private record RawBytesCodec(byte[] body) implements MethodCodec {
    @Override
    public void writeArguments(Object[] arguments, OutputStream out) throws IOException {
      out.write(body);
    }

    @Override
    public Object[] readArguments(InputStream in) {
      throw new UnsupportedOperationException("write-only");
    }

    @Override
    public void writeResult(Object result, OutputStream out) throws IOException {
      out.write(body);
    }

    @Override
    public Object readResult(InputStream in) {
      throw new UnsupportedOperationException("write-only");
    }
  }
}
