package io.minirpc.internal.transport;

import io.minirpc.TransportStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes and the connections of one port (or one client): the first handler of each of
 * their pipelines, next to the socket, so it sees the bytes as they are read and written, TLS
 * records included, and passes everything on untouched.
 *
 * <p>Shared by all the connections it counts, though it has state: it keeps nothing per connection,
 * and its counters are {@link LongAdder}s, made for many threads adding and few reading, so that
 * event loops do not contend on one cache line. Netty's traffic-shaping handlers count too, but
 * they are made to delay traffic: a clock read per read and write, a lookup of the channel in a map
 * and a lock per write, contended atomics; this costs an add per read and write.
 */
@ChannelHandler.Sharable
public final class TransportCounter extends ChannelDuplexHandler implements TransportStats {

  private final String protocol;
  private final LongAdder received = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final AtomicInteger open = new AtomicInteger();

  /**
   * @param protocol what the counted connections speak, as {@link TransportStats#protocol()} names
   *     it
   */
  public TransportCounter(String protocol) {
    this.protocol = protocol;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    open.incrementAndGet();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // Netty fires it only for a channel that was active: the two balance.
    open.decrementAndGet();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      received.add(buf.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    // Counted as it enters the connection's outbound buffer, not once the socket took it: a
    // listener on the promise would cost an allocation per write.
    if (msg instanceof ByteBuf buf) {
      sent.add(buf.readableBytes());
    } else if (msg instanceof ByteBufHolder holder) {
      sent.add(holder.content().readableBytes());
    } else if (msg instanceof FileRegion region) {
      sent.add(region.count());
    }
    ctx.write(msg, promise);
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public long bytesReceived() {
    return received.sum();
  }

  @Override
  public long bytesSent() {
    return sent.sum();
  }

  @Override
  public int openConnections() {
    return open.get();
  }

  @Override
  public String toString() {
    return "TransportStats["
        + protocol
        + ": "
        + bytesReceived()
        + " bytes received, "
        + bytesSent()
        + " sent, "
        + openConnections()
        + " connections open]";
  }
}
