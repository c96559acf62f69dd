package io.minirpc.benchmark.ceiling;

import io.minirpc.benchmark.RunningServer;
import io.minirpc.internal.transport.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

/**
 * The ceiling's server: answers every request frame with the pre-built reply of its operation
 * ({@link ReplyHandler}), on Netty's I/O threads. The same transport, thread counts and socket
 * options as a minirpc server's defaults; nothing else.
 */
public final class CeilingServer implements RunningServer {

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel listener;

  private CeilingServer(EventLoopGroup boss, EventLoopGroup workers, Channel listener) {
    this.boss = boss;
    this.workers = workers;
    this.listener = listener;
  }

  /** A server on a free loopback port. */
  public static CeilingServer start() {
    EventLoops transport = EventLoops.best();
    EventLoopGroup boss = transport.newGroup(1, "ceiling-server-accept");
    // 0: Netty's default, as minirpc's server.
    EventLoopGroup workers = transport.newGroup(0, "ceiling-server-io");
    try {
      Channel listener =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(transport.serverSocketChannel())
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
              .childHandler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline().addLast(CeilingFrames.newDecoder(), new ReplyHandler());
                    }
                  })
              .bind("127.0.0.1", 0)
              .syncUninterruptibly()
              .channel();
      return new CeilingServer(boss, workers, listener);
    } catch (RuntimeException e) {
      EventLoops.shutdown(boss);
      EventLoops.shutdown(workers);
      throw e;
    }
  }

  @Override
  public int port() {
    return ((java.net.InetSocketAddress) listener.localAddress()).getPort();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    EventLoops.shutdown(boss);
    EventLoops.shutdown(workers);
  }
}
