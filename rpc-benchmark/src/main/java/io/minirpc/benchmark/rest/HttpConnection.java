package io.minirpc.benchmark.rest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.function.BiConsumer;

/**
 * One keep-alive HTTP/1.1 connection on Netty that carries one exchange at a time, HTTP/1.1 having
 * no multiplexing: {@link #send} writes a request, and the response completes it on the
 * connection's event loop. The last handler of the channel's pipeline.
 */
final class HttpConnection extends SimpleChannelInboundHandler<FullHttpResponse> {

  private Channel channel;
  private volatile BiConsumer<FullHttpResponse, Throwable> pending;

  /** The largest response a connection reads. */
  private static final int MAX_RESPONSE_SIZE = 8 * 1024 * 1024;

  HttpConnection() {
    // The response is handed to the exchange's callback, which releases it after reading.
    super(false);
  }

  /**
   * Opens a connection of {@code bootstrap} whose pipeline ends in this one; {@link #attach} it to
   * the channel once connected.
   */
  ChannelFuture open(Bootstrap bootstrap) {
    HttpConnection self = this;
    return bootstrap
        .clone()
        .handler(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    .addLast(new HttpClientCodec())
                    .addLast(new HttpObjectAggregator(MAX_RESPONSE_SIZE))
                    .addLast(self);
              }
            })
        .connect();
  }

  void attach(Channel channel) {
    this.channel = channel;
  }

  Channel channel() {
    return channel;
  }

  /**
   * Sends the request; {@code done} gets the response (to release) or the failure, once.
   *
   * @throws IllegalStateException if an exchange is still under way on this connection
   */
  void send(FullHttpRequest request, BiConsumer<FullHttpResponse, Throwable> done) {
    if (pending != null) {
      ReferenceCountUtil.release(request);
      throw new IllegalStateException("an exchange is under way on this connection");
    }
    pending = done;
    channel
        .writeAndFlush(request)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    fail(f.cause());
                    f.channel().close();
                  }
                });
  }

  void close() {
    channel.close().syncUninterruptibly();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
    BiConsumer<FullHttpResponse, Throwable> waiting = pending;
    pending = null;
    if (waiting == null) {
      // Nothing was asked: a response of no request's is dropped.
      ReferenceCountUtil.release(response);
      return;
    }
    waiting.accept(response, null);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(new ClosedChannelException());
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
    ctx.close();
  }

  private void fail(Throwable cause) {
    BiConsumer<FullHttpResponse, Throwable> waiting = pending;
    pending = null;
    if (waiting != null) {
      waiting.accept(null, cause);
    }
  }
}
