package io.minirpc.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Netty's native epoll transport where it is available (Linux), NIO elsewhere: the event loop
 * groups and channel classes that go together.
 *
 * <p>Setting the system property {@code minirpc.transport=nio} forces NIO, to compare the two or to
 * work around a native library that will not load.
 */
public enum EventLoops {
  EPOLL,
  NIO;

  /** The transport this JVM should use. */
  public static EventLoops best() {
    if ("nio".equalsIgnoreCase(System.getProperty("minirpc.transport"))) {
      return NIO;
    }
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /** A group of {@code threads} event loops (0: Netty's default) with named daemon threads. */
  public EventLoopGroup newGroup(int threads, String threadPrefix) {
    IoHandlerFactory factory =
        this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(threadPrefix, true), factory);
  }

  public Class<? extends Channel> socketChannel() {
    return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  public Class<? extends ServerChannel> serverSocketChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /**
   * Stops a group without Netty's default two-second quiet period: by the time minirpc shuts a
   * group down its channels are closed, so there is nothing to wait for.
   */
  public static void shutdown(EventLoopGroup group) {
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
