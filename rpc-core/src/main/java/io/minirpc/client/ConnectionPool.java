package io.minirpc.client;

import io.minirpc.Provider;
import io.minirpc.Status;
import io.minirpc.internal.protocol.FrameDecoder;
import io.minirpc.internal.tls.TlsFailures;
import io.minirpc.internal.tls.TlsHandlers;
import io.minirpc.tls.ClientTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The client's connections: a fixed number per provider address, opened on first use and opened
 * again on the next use after they close. Calls to one address are spread over its connections in
 * turn; each connection multiplexes any number of calls.
 */
final class ConnectionPool implements AutoCloseable {

  private static final AttributeKey<Provider> PROVIDER =
      AttributeKey.valueOf(ConnectionPool.class, "provider");
  private static final AttributeKey<ClientConnection> CONNECTION =
      AttributeKey.valueOf(ConnectionPool.class, "connection");

  private final Bootstrap bootstrap;
  private final int connectionsPerAddress;
  private final Map<String, Slots> byAddress = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param tls the TLS settings of every connection; {@code null} for plain TCP
   */
  ConnectionPool(
      Bootstrap bootstrap,
      int connectionsPerAddress,
      int maxBodySize,
      ConnectionEvents events,
      ClientTls tls) {
    this.connectionsPerAddress = connectionsPerAddress;
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
                    if (tls != null) {
                      TlsHandlers.addClientSide(
                          ch, tls, provider.host(), provider.port(), connection::closeBecause);
                    }
                    ch.pipeline()
                        .addLast(new FrameDecoder(maxBodySize), new ClientHandler(connection));
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
      CompletableFuture<ClientConnection> opening = open(provider);
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

  private CompletableFuture<ClientConnection> open(Provider provider) {
    CompletableFuture<ClientConnection> result = new CompletableFuture<>();
    ChannelFuture connect =
        bootstrap.clone().attr(PROVIDER, provider).connect(provider.host(), provider.port());
    connect.addListener(
        (ChannelFuture f) -> {
          if (f.isSuccess()) {
            whenReady(f.channel(), provider, result);
          } else {
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
      Channel channel, Provider provider, CompletableFuture<ClientConnection> result) {
    TlsHandlers.ready(channel)
        .addListener(
            handshake -> {
              if (!handshake.isSuccess()) {
                channel.close();
                result.completeExceptionally(
                    new UnprocessedRequestException(
                        "TLS handshake with "
                            + provider.address()
                            + " failed: "
                            + TlsFailures.describe(handshake.cause(), "server", "client"),
                        handshake.cause()));
                return;
              }
              result.complete(channel.attr(CONNECTION).get());
              if (closed) {
                channel.close();
              }
            });
  }

  /** The calls this client has in flight to the provider, over all its connections. */
  int pendingCalls(Provider provider) {
    Slots slots = byAddress.get(provider.address());
    if (slots == null) {
      return 0;
    }
    int pending = 0;
    for (int i = 0; i < slots.connections.length(); i++) {
      CompletableFuture<ClientConnection> f = slots.connections.get(i);
      if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
        pending += f.join().pendingCount();
      }
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

    int nextIndex(int n) {
      return Math.floorMod(next.getAndIncrement(), n);
    }
  }
}
