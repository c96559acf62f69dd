package io.minirpc.server;

import io.minirpc.internal.dispatch.InFlightCalls;
import io.minirpc.internal.dispatch.ServerEvent;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a server's graceful shutdown that concerns its connections: stops accepting, tells
 * every connected client that the server is going away, lets the calls in flight finish and waits
 * for the clients to close their connections, for up to the grace period all told, then closes
 * those left.
 */
final class ConnectionDrain {

  private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

  private final ChannelGroup channels;
  private final EventLoopGroup workerGroup;
  private final InFlightCalls inFlight;
  private final Duration gracePeriod;

  /**
   * @param channels every connection the server accepted, on either port
   * @param workerGroup the event loops that set up the accepted connections
   */
  ConnectionDrain(
      ChannelGroup channels,
      EventLoopGroup workerGroup,
      InFlightCalls inFlight,
      Duration gracePeriod) {
    this.channels = channels;
    this.workerGroup = workerGroup;
    this.inFlight = inFlight;
    this.gracePeriod = gracePeriod;
  }

  /**
   * Drains and closes every connection.
   *
   * @param listeners the server's listening channels, closed first; none if it never started
   */
  void drain(Channel... listeners) {
    if (listeners.length > 0) {
      for (Channel listener : listeners) {
        listener.close().syncUninterruptibly();
      }
      awaitAcceptedConnections();
      channels.forEach(ch -> ch.pipeline().fireUserEventTriggered(ServerEvent.GOING_AWAY));
      long deadline = System.nanoTime() + gracePeriod.toNanos();
      if (awaitInFlight(deadline)) {
        awaitClientsClosed(deadline);
      }
    }
    channels.close().awaitUninterruptibly();
  }

  /**
   * Waits until the connections accepted before the listeners closed are set up and in {@link
   * #channels}: each was handed to a worker event loop, whose tasks run in order, so a task queued
   * on each loop now runs after them. Otherwise one set up later would miss the going-away notice
   * and the final close, and stay open, unanswered, after the server stopped.
   */
  private void awaitAcceptedConnections() {
    for (EventExecutor loop : workerGroup) {
      loop.submit(() -> {}).syncUninterruptibly();
    }
  }

  /** Returns whether every call in flight finished before the deadline. */
  private boolean awaitInFlight(long deadline) {
    try {
      if (!inFlight.awaitNone(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        log.warn(
            "Closing with {} calls still in flight after the grace period of {}",
            inFlight.count(),
            gracePeriod);
        return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until the clients have closed their connections. Closing one first would lose the
   * requests a client sent before the going-away notice reached it and that are still on the way:
   * those are refused as not run meanwhile, so that the client sends them elsewhere.
   */
  private void awaitClientsClosed(long deadline) {
    for (Channel channel : channels) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !channel.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
        log.warn(
            "Closing {} connections whose clients did not close them within the grace period of {}",
            channels.size(),
            gracePeriod);
        return;
      }
    }
  }
}
