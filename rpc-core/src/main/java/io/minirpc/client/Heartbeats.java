package io.minirpc.client;

import io.minirpc.internal.protocol.FrameReader;
import io.minirpc.internal.protocol.FrameType;
import io.minirpc.internal.protocol.FrameWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one connection honest: after each heartbeat interval in which nothing was read (an {@link
 * IdleStateEvent} from the {@code IdleStateHandler} ahead of it) it sends a ping, and once {@code
 * misses} pings in a row went a whole interval without anything read, it closes the connection,
 * which fails the calls pending on it with UNAVAILABLE. Anything read proves the peer alive, not
 * only a pong: a busy connection never pings. Pongs stop here; a ping from the server is answered.
 */
final class Heartbeats extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

  private final ClientConnection connection;
  private final long intervalMillis;
  private final int misses;
  private int unanswered;
  private long nextPingId;

  Heartbeats(ClientConnection connection, long intervalMillis, int misses) {
    this.connection = connection;
    this.intervalMillis = intervalMillis;
    this.misses = misses;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    unanswered = 0;
    ByteBuf frame = (ByteBuf) msg;
    byte type = FrameReader.type(frame);
    if (type == FrameType.PONG.value()) {
      frame.release();
      return;
    }
    if (type == FrameType.PING.value()) {
      long id = FrameReader.requestId(frame);
      frame.release();
      ctx.writeAndFlush(FrameWriter.pong(ctx.alloc(), id), ctx.voidPromise());
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (!(event instanceof IdleStateEvent idle) || idle.state() != IdleState.READER_IDLE) {
      ctx.fireUserEventTriggered(event);
      return;
    }
    if (unanswered >= misses) {
      String reason =
          "no answer to "
              + unanswered
              + (unanswered == 1 ? " heartbeat" : " heartbeats")
              + " in "
              + (unanswered + 1) * intervalMillis
              + " ms";
      log.warn("Closing connection to {}: {}", connection.provider(), reason);
      connection.closeBecause(reason);
      return;
    }
    unanswered++;
    ctx.writeAndFlush(FrameWriter.ping(ctx.alloc(), ++nextPingId), ctx.voidPromise());
  }
}
