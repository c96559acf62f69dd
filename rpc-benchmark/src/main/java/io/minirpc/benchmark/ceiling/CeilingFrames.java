package io.minirpc.benchmark.ceiling;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * The frames of the bare-Netty ceiling: just enough to carry a call of a given size and match its
 * reply to it, nothing to encode or decode.
 *
 * <pre>
 * +----------+--------+-----------+----------------------+
 * |  length  |   op   |  call id  |  padding (zeros)     |
 * |  int32   |  int8  |  int32    |  length - 5 bytes    |
 * +----------+--------+-----------+----------------------+
 * </pre>
 *
 * {@code length} counts the bytes after itself, so a frame takes {@code length + 4} bytes on the
 * wire: the size of the operation's request or reply as minirpc-kryo sends it ({@link CallSizes}).
 * {@code op} is the {@link io.minirpc.benchmark.Operation}'s ordinal; a reply repeats its request's
 * op and call id.
 *
 * <p>A connection starts with one setup frame from the client: op {@value #SETUP}, call id 0, then
 * one int32 per operation, in ordinal order, with the size on the wire of that operation's reply.
 * The server builds each reply once from it.
 */
final class CeilingFrames {

  /** Length, op and call id: the smallest frame. */
  static final int HEADER_BYTES = 4 + 1 + 4;

  /** The op of the setup frame. */
  static final byte SETUP = -1;

  /** Larger than any frame of the workload (a page of 15 users is about 3 KB). */
  private static final int MAX_FRAME_BYTES = 1024 * 1024;

  private CeilingFrames() {}

  /** A frame of this size on the wire: its header, then zeros. */
  static ByteBuf frame(ByteBufAllocator alloc, int size, int op, int callId) {
    ByteBuf frame = header(alloc.directBuffer(size), size, op, callId);
    return frame.writeZero(size - HEADER_BYTES);
  }

  /** Writes the header of a frame of this size on the wire. */
  static ByteBuf header(ByteBuf out, int size, int op, int callId) {
    return out.writeInt(size - 4).writeByte(op).writeInt(callId);
  }

  /** Splits frames and strips their length field: its handlers read op, call id and padding. */
  static LengthFieldBasedFrameDecoder newDecoder() {
    return new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES, 0, 4, 0, 4);
  }
}
