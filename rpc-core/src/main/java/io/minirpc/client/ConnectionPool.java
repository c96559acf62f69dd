package io.minirpc.client;

import io.minirpc.Provider;
import io.minirpc.Status;
import io.minirpc.internal.protocol.FrameDecoder;
import io.minirpc.internal.tls.TlsFailures;
import io.minirpc.internal.tls.TlsHandlers;
import io.minirpc.internal.transport.TransportCounter;
import io.minirpc.tls.ClientTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The client's connections: a fixed number per provider address, opened on first use and opened
 * again on the next use after they close. Calls to one address are spread over its connections in
 * turn; each connection multiplexes any number of calls.
 *
 * <p>After a connect to an address fails, the next one waits out a {@link ReconnectBackoff}: calls
 * meanwhile fail at once as not sent (so that they go to another provider) instead of each trying a
 * connect that would most likely fail too. When heartbeats are on, each connection pings after an
 * interval in which it read nothing and closes after missing several pongs (see {@link
 * Heartbeats}).
 */
final class ConnectionPool implements AutoCloseable {

  private static final AttributeKey<Provider> PROVIDER =
      AttributeKey.valueOf(ConnectionPool.class, "provider");
  private static final AttributeKey<ClientConnection> CONNECTION =
      AttributeKey.valueOf(ConnectionPool.class, "connection");

  private final Bootstrap bootstrap;
  // The group's loops, listed once: asked on every call, iterating the group makes two objects.
  private final EventExecutor[] eventLoops;
  private final int connectionsPerAddress;
  private final Map<String, Slots> byAddress = new ConcurrentHashMap<>();
  private final long initialReconnectDelayNanos;
  private final long maxReconnectDelayNanos;
  private volatile boolean closed;

  /**
   * @param heartbeatIntervalMillis read-idle time after which a connection pings; 0: never
   * @param heartbeatMisses pings in a row without an answer after which a connection closes
   * @param tls the TLS settings of every connection; {@code null} for plain TCP
   * @param traffic counts the connections and their bytes, next to the socket (before TLS)
   */
  ConnectionPool(
      Bootstrap bootstrap,
      int connectionsPerAddress,
      int maxBodySize,
      ConnectionEvents events,
      long heartbeatIntervalMillis,
      int heartbeatMisses,
      long initialReconnectDelayNanos,
      long maxReconnectDelayNanos,
      ClientTls tls,
      TransportCounter traffic) {
    this.connectionsPerAddress = connectionsPerAddress;
    this.initialReconnectDelayNanos = initialReconnectDelayNanos;
    this.maxReconnectDelayNanos = maxReconnectDelayNanos;
    List<EventExecutor> loops = new ArrayList<>();
    bootstrap.config().group().forEach(loops::add);
    this.eventLoops = loops.toArray(new EventExecutor[0]);
    this.bootstrap =
        bootstrap
            .clone()
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    Provider provider = ch.attr(PROVIDER).get();
                    ClientConnection connection = new ClientConnection(provider, ch, events);
                    ch.attr(CONNECTION).set(connection);
                    ch.pipeline().addFirst(traffic);
                    if (tls != null) {
                      TlsHandlers.addClientSide(
                          ch, tls, provider.host(), provider.port(), connection::closeBecause);
                    }
                    if (heartbeatIntervalMillis > 0) {
                      ch.pipeline()
                          .addLast(
                              new IdleStateHandler(
                                  heartbeatIntervalMillis, 0, 0, TimeUnit.MILLISECONDS));
                    }
                    // Without the idle handler it sends no ping, but still answers the server's.
                    ch.pipeline()
                        .addLast(
                            new FrameDecoder(maxBodySize),
                            new Heartbeats(connection, heartbeatIntervalMillis, heartbeatMisses));
                    ch.pipeline().addLast(new ClientHandler(connection));
                  }
                });
  }

  /** A connection to this provider: open already, or opening. */
  CompletableFuture<ClientConnection> connection(Provider provider) {
    if (closed) {
      return CompletableFuture.failedFuture(
          Status.UNAVAILABLE.withDescription("the client is closed").asException());
    }
    Slots slots = byAddress.computeIfAbsent(provider.address(), a -> new Slots());
    int index = connectionsPerAddress == 1 ? 0 : slots.nextIndex(connectionsPerAddress);
    CompletableFuture<ClientConnection> current = slots.connections.get(index);
    if (isUsable(current)) {
      return current;
    }
    synchronized (slots) {
      current = slots.connections.get(index);
      if (isUsable(current)) {
        return current;
      }
      long wait = slots.backoff.remainingNanos(System.nanoTime());
      if (wait > 0) {
        return CompletableFuture.failedFuture(
            new UnprocessedRequestException(
                "cannot connect to "
                    + provider.address()
                    + ": "
                    + slots.backoff.lastFailure()
                    + "; next attempt in "
                    + Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait))
                    + " ms",
                null));
      }
      CompletableFuture<ClientConnection> opening = open(provider, slots.backoff);
      slots.connections.set(index, opening);
      return opening;
    }
  }

  private static boolean isUsable(CompletableFuture<ClientConnection> f) {
    if (f == null) {
      return false;
    }
    if (!f.isDone()) {
      return true;
    }
    return !f.isCompletedExceptionally() && f.join().isUsable();
  }

  private CompletableFuture<ClientConnection> open(Provider provider, ReconnectBackoff backoff) {
    CompletableFuture<ClientConnection> result = new CompletableFuture<>();
    ChannelFuture connect =
        bootstrap.clone().attr(PROVIDER, provider).connect(provider.host(), provider.port());
    connect.addListener(
        (ChannelFuture f) -> {
          if (f.isSuccess()) {
            whenReady(f.channel(), provider, backoff, result);
          } else {
            backoff.failed(String.valueOf(f.cause().getMessage()), System.nanoTime());
            result.completeExceptionally(
                new UnprocessedRequestException(
                    "cannot connect to " + provider.address() + ": " + f.cause().getMessage(),
                    f.cause()));
          }
        });
    return result;
  }

  /** Hands out a connection once it may carry requests: at once, or after its TLS handshake. */
  private void whenReady(
      Channel channel,
      Provider provider,
      ReconnectBackoff backoff,
      CompletableFuture<ClientConnection> result) {
    TlsHandlers.ready(channel)
        .addListener(
            handshake -> {
              if (!handshake.isSuccess()) {
                channel.close();
                String why = TlsFailures.describe(handshake.cause(), "server", "client");
                backoff.failed("TLS handshake failed: " + why, System.nanoTime());
                result.completeExceptionally(
                    new UnprocessedRequestException(
                        "TLS handshake with " + provider.address() + " failed: " + why,
                        handshake.cause()));
                return;
              }
              backoff.connected();
              result.complete(channel.attr(CONNECTION).get());
              if (closed) {
                channel.close();
              }
            });
  }

  /** The calls this client has in flight to the provider, over all its connections. */
  int pendingCalls(Provider provider) {
    Slots slots = byAddress.get(provider.address());
    return slots == null ? 0 : slots.pendingCalls();
  }

  /** Whether this thread is one of the client's event loops, which must never block. */
  boolean isEventLoopThread() {
    for (EventExecutor loop : eventLoops) {
      if (loop.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  /** The calls this client has in flight, over every connection to every provider. */
  int pendingCalls() {
    int pending = 0;
    for (Slots slots : byAddress.values()) {
      pending += slots.pendingCalls();
    }
    return pending;
  }

  @Override
  public void close() {
    closed = true;
    for (Slots slots : byAddress.values()) {
      for (int i = 0; i < slots.connections.length(); i++) {
        CompletableFuture<ClientConnection> f = slots.connections.get(i);
        if (f != null) {
          f.thenAccept(c -> c.closeBecause("the client is closed"));
        }
      }
    }
  }

  private final class Slots {
    final AtomicReferenceArray<CompletableFuture<ClientConnection>> connections =
        new AtomicReferenceArray<>(connectionsPerAddress);
    final AtomicInteger next = new AtomicInteger();
    final ReconnectBackoff backoff =
        new ReconnectBackoff(initialReconnectDelayNanos, maxReconnectDelayNanos);

    int nextIndex(int n) {
      return Math.floorMod(next.getAndIncrement(), n);
    }

    /** The calls in flight on this address's connections that are up. */
    int pendingCalls() {
      int pending = 0;
      for (int i = 0; i < connections.length(); i++) {
        CompletableFuture<ClientConnection> f = connections.get(i);
        if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
          pending += f.join().pendingCount();
        }
      }
      return pending;
    }
  }
}
