package io.minirpc.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading a connection while its outbound buffer is over the high water mark, and reads again
 * once it drains below the low one.
 *
 * <p>Without it, a client that sends requests and never reads the answers makes the server buffer
 * every answer until memory runs out: writes to a connection always succeed into Netty's outbound
 * buffer. Not reading pushes the pressure back to that client through TCP: its own send buffer
 * fills, and its calls wait or fail there. Netty's own proxy example toggles {@code autoRead} from
 * {@code channelWritabilityChanged} the same way.
 */
@ChannelHandler.Sharable
final class ReadPausingHandler extends ChannelInboundHandlerAdapter {

  static final ReadPausingHandler INSTANCE = new ReadPausingHandler();

  private ReadPausingHandler() {}

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }
}
