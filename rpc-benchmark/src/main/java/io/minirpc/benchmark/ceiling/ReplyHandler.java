package io.minirpc.benchmark.ceiling;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * The ceiling server's side of one connection: takes the reply sizes from the setup frame and
 * builds each operation's reply padding once; then answers each request with a header of its own
 * (the call id differs) and a retained duplicate of that padding, no copy, and flushes once per
 * batch of reads. One per connection: it holds the connection's replies.
 */
final class ReplyHandler extends ChannelInboundHandlerAdapter {

  private ByteBuf[] paddings;
  private int[] sizes;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      byte op = frame.readByte();
      int callId = frame.readInt();
      if (op == CeilingFrames.SETUP) {
        setUp(ctx, frame);
        return;
      }
      if (paddings == null || op < 0 || op >= paddings.length) {
        throw new CorruptedFrameException(
            paddings == null ? "a request before the setup frame" : "unknown op " + op);
      }
      ByteBuf header =
          CeilingFrames.header(
              ctx.alloc().directBuffer(CeilingFrames.HEADER_BYTES), sizes[op], op, callId);
      ctx.write(header, ctx.voidPromise());
      ctx.write(paddings[op].retainedDuplicate(), ctx.voidPromise());
    } finally {
      frame.release();
    }
  }

  private void setUp(ChannelHandlerContext ctx, ByteBuf frame) {
    if (paddings != null) {
      throw new CorruptedFrameException("a second setup frame");
    }
    int ops = frame.readableBytes() / 4;
    sizes = new int[ops];
    paddings = new ByteBuf[ops];
    for (int op = 0; op < ops; op++) {
      sizes[op] = frame.readInt();
      if (sizes[op] < CeilingFrames.HEADER_BYTES) {
        throw new CorruptedFrameException("a reply of " + sizes[op] + " bytes");
      }
      int padding = sizes[op] - CeilingFrames.HEADER_BYTES;
      paddings[op] = ctx.alloc().directBuffer(padding).writeZero(padding);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (paddings != null) {
      for (ByteBuf padding : paddings) {
        if (padding != null) {
          padding.release();
        }
      }
      paddings = null;
    }
  }
}
