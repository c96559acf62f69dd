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

/** Builds request frames by hand and reads error responses, for tests of what servers refuse. */
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
    try {
      return FrameWriter.request(
          UnpooledByteBufAllocator.DEFAULT,
          requestId,
          flags,
          serializerId,
          5_000,
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

  /** Writes fixed bytes as "arguments". */
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
    public void writeResult(Object result, OutputStream out) {
      throw new UnsupportedOperationException("write-only");
    }

    @Override
    public Object readResult(InputStream in) {
      throw new UnsupportedOperationException("write-only");
    }
  }
}
