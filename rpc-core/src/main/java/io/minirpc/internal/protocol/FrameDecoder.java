package io.minirpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the inbound byte stream into whole frames (header and body) by the header's length field,
 * and rejects a stream that is not minirpc as early as its bytes allow.
 *
 * <p>Each frame is passed on as a {@link ByteBuf} starting at the header's first byte, which the
 * next handler must release. Failures close the connection upstream:
 *
 * <ul>
 *   <li>the first two bytes are not {@link FrameHeader#MAGIC}: {@link CorruptedFrameException}
 *   <li>a version other than {@link FrameHeader#VERSION}: {@link UnsupportedVersionException},
 *       which carries the request id so the peer can be told why
 *   <li>a negative length: {@link CorruptedFrameException}; a length over the maximum: {@link
 *       io.netty.handler.codec.TooLongFrameException}, raised as soon as the header is read
 * </ul>
 */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {

  private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

  public FrameDecoder(int maxBodySize) {
    super(
        ByteOrder.BIG_ENDIAN,
        checkedFrameSize(maxBodySize),
        FrameHeader.LENGTH_OFFSET,
        4,
        0,
        0,
        true);
  }

  private static int checkedFrameSize(int maxBodySize) {
    if (maxBodySize < 1 || maxBodySize > Integer.MAX_VALUE - FrameHeader.SIZE) {
      throw new IllegalArgumentException("maxBodySize out of range: " + maxBodySize);
    }
    return FrameHeader.SIZE + maxBodySize;
  }

  /** Set once the stream broke the protocol: nothing after that point can be trusted. */
  private boolean failed;

  @Override
  protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return null;
    }
    try {
      return decodeFrame(ctx, in);
    } catch (Exception e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  private Object decodeFrame(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
    int start = in.readerIndex();
    int readable = in.readableBytes();
    if (readable >= 2 && in.getShort(start) != FrameHeader.MAGIC) {
      throw new CorruptedFrameException(
          String.format(
              "bad magic 0x%04X (expected 0x%04X): the peer does not speak minirpc",
              in.getShort(start) & 0xFFFF, FrameHeader.MAGIC));
    }
    if (readable >= FrameHeader.SIZE
        && in.getByte(start + FrameHeader.VERSION_OFFSET) != FrameHeader.VERSION) {
      throw new UnsupportedVersionException(
          in.getByte(start + FrameHeader.VERSION_OFFSET) & 0xFF,
          in.getLong(start + FrameHeader.REQUEST_ID_OFFSET),
          in.getByte(start + FrameHeader.TYPE_OFFSET) == FrameType.REQUEST.value());
    }
    return super.decode(ctx, in);
  }

  /** Reads the length as signed, so that a negative one is reported as such, not as a huge one. */
  @Override
  protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
    return buf.getInt(offset);
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws Exception {
    super.decodeLast(ctx, in, out);
    if (in.isReadable()) {
      log.warn(
          "Connection {} closed in the middle of a frame; {} bytes of it were discarded",
          ctx.channel().remoteAddress(),
          in.readableBytes());
    }
  }
}
