package io.minirpc.internal.tls;

import io.minirpc.Status;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameType;
import io.minirpc.internal.protocol.FrameWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * What a TLS-only port answers, in plain text, a client that does not speak TLS, just before it
 * closes the connection: a misconfigured client then fails with a reason rather than with a closed
 * connection.
 */
public enum PlaintextAnswer {
  /** The minirpc port: a minirpc client's first request is answered UNAVAILABLE. */
  MINIRPC {
    @Override
    ByteBuf answer(ByteBuf firstBytes, ByteBufAllocator alloc) {
      int at = firstBytes.readerIndex();
      if (firstBytes.readableBytes() < FrameHeader.SIZE
          || firstBytes.getShort(at + FrameHeader.MAGIC_OFFSET) != FrameHeader.MAGIC
          || firstBytes.getByte(at + FrameHeader.TYPE_OFFSET) != FrameType.REQUEST.value()
          || (firstBytes.getByte(at + FrameHeader.FLAGS_OFFSET) & FrameHeader.FLAG_ONE_WAY) != 0) {
        return null;
      }
      return FrameWriter.error(
          alloc,
          firstBytes.getLong(at + FrameHeader.REQUEST_ID_OFFSET),
          firstBytes.getByte(at + FrameHeader.SERIALIZER_OFFSET),
          Status.UNAVAILABLE.withDescription(MINIRPC_MESSAGE),
          null);
    }
  },
  /** The REST bridge's port: any request is answered 400 Bad Request. */
  HTTP {
    @Override
    ByteBuf answer(ByteBuf firstBytes, ByteBufAllocator alloc) {
      byte[] body = HTTP_MESSAGE.getBytes(StandardCharsets.UTF_8);
      String head =
          "HTTP/1.1 400 Bad Request\r\n"
              + "Content-Type: text/plain; charset=utf-8\r\n"
              + "Content-Length: "
              + body.length
              + "\r\n"
              + "Connection: close\r\n\r\n";
      ByteBuf buf = alloc.buffer(head.length() + body.length);
      buf.writeCharSequence(head, StandardCharsets.US_ASCII);
      buf.writeBytes(body);
      return buf;
    }
  };

  /** What a plain-text minirpc client's first call fails with. */
  public static final String MINIRPC_MESSAGE =
      "the server accepts TLS connections only: give the client RpcClient.Builder.tls(..)";

  /** The body of the answer to a plain HTTP request. */
  public static final String HTTP_MESSAGE = "This port accepts HTTPS only.\n";

  /**
   * The answer to a client whose first bytes, at least {@link FrameHeader#SIZE} of them, are these;
   * {@code null} for none. Reads nothing from the buffer.
   */
  abstract ByteBuf answer(ByteBuf firstBytes, ByteBufAllocator alloc);
}
