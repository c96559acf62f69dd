package io.minirpc.benchmark.ceiling;

import io.minirpc.benchmark.Operation;
import io.minirpc.internal.transport.EventLoops;
import io.minirpc.internal.transport.WriteQueue;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;

/**
 * The ceiling's client: one connection shared by every caller, calls matched to replies by call id,
 * as minirpc's client does by default (one connection per address, one I/O thread, epoll where
 * available, requests from many threads batched into one flush by minirpc's own {@link
 * WriteQueue}). Per call it writes a frame of the request's size and, when the reply frame comes,
 * checks its size and completes the call with the operation's {@link CeilingReply}, on the I/O
 * thread.
 *
 * <p>Calls in flight sit in a ring of slots indexed by call id rather than a map, so that a call
 * costs no map node; a call that would take a slot still in use fails instead.
 */
final class CeilingConnection extends ChannelInboundHandlerAdapter {

  /** Slots for calls in flight: far more than the benchmark's callers. */
  private static final int SLOTS = 1 << 16;

  private final CallSizes sizes;
  private final CeilingReply[] replies;
  private final EventLoopGroup group;
  private final AtomicReferenceArray<BiConsumer<Object, Throwable>> inFlight =
      new AtomicReferenceArray<>(SLOTS);
  private final AtomicInteger nextCallId = new AtomicInteger();
  private Channel channel;
  private WriteQueue writes;
  private ByteBufAllocator alloc;

  private CeilingConnection(CallSizes sizes) {
    this.sizes = sizes;
    this.replies = new CeilingReply[Operation.values().length];
    for (Operation op : Operation.values()) {
      replies[op.ordinal()] = new CeilingReply(op, sizes.reply(op));
    }
    this.group = EventLoops.best().newGroup(1, "ceiling-client-io");
  }

  /** Connects and sends the setup frame with the reply sizes. */
  static CeilingConnection open(String host, int port, CallSizes sizes) {
    CeilingConnection connection = new CeilingConnection(sizes);
    try {
      connection.connect(host, port);
    } catch (RuntimeException e) {
      EventLoops.shutdown(connection.group);
      throw e;
    }
    return connection;
  }

  private void connect(String host, int port) {
    EventLoops transport = EventLoops.best();
    channel =
        new Bootstrap()
            .group(group)
            .channel(transport.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(CeilingFrames.newDecoder(), CeilingConnection.this);
                  }
                })
            .connect(host, port)
            .syncUninterruptibly()
            .channel();
    alloc = channel.alloc();
    writes = new WriteQueue(channel);
    int ops = Operation.values().length;
    ByteBuf setup = alloc.directBuffer(CeilingFrames.HEADER_BYTES + 4 * ops);
    CeilingFrames.header(setup, CeilingFrames.HEADER_BYTES + 4 * ops, CeilingFrames.SETUP, 0);
    for (Operation op : Operation.values()) {
      setup.writeInt(sizes.reply(op));
    }
    writes.enqueue(setup);
  }

  /**
   * Sends a request of the operation's size; {@code done} gets its {@link CeilingReply} when the
   * reply comes, or the failure.
   *
   * @return the call's id, for {@link #abandon}
   */
  int call(Operation op, BiConsumer<Object, Throwable> done) {
    int callId = nextCallId.getAndIncrement();
    if (!inFlight.compareAndSet(callId & (SLOTS - 1), null, done)) {
      done.accept(null, new IllegalStateException("more than " + SLOTS + " calls in flight"));
      return callId;
    }
    writes.enqueue(CeilingFrames.frame(alloc, sizes.request(op), op.ordinal(), callId));
    return callId;
  }

  /** Gives up on a call: a reply that comes later is dropped. */
  void abandon(int callId, BiConsumer<Object, Throwable> done) {
    inFlight.compareAndSet(callId & (SLOTS - 1), done, null);
  }

  void close() {
    try {
      channel.close().syncUninterruptibly();
    } finally {
      EventLoops.shutdown(group);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    int op;
    int callId;
    int size;
    try {
      op = frame.readByte();
      callId = frame.readInt();
      size = frame.readableBytes() + CeilingFrames.HEADER_BYTES;
    } finally {
      frame.release();
    }
    BiConsumer<Object, Throwable> done = inFlight.getAndSet(callId & (SLOTS - 1), null);
    if (done == null) {
      return; // abandoned
    }
    CeilingReply expected = op >= 0 && op < replies.length ? replies[op] : null;
    if (expected == null || expected.bytes() != size) {
      done.accept(
          null,
          new IllegalStateException(
              "a reply of " + size + " bytes for op " + op + ", expected " + expected));
    } else {
      done.accept(expected, null);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ClosedChannelException closed = new ClosedChannelException();
    for (int i = 0; i < SLOTS; i++) {
      BiConsumer<Object, Throwable> done = inFlight.getAndSet(i, null);
      if (done != null) {
        done.accept(null, closed);
      }
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
