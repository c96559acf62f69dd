package io.minirpc.benchmark.rest;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One keep-alive HTTP/1.1 connection that carries one exchange at a time: the thread that owns it
 * writes a request and waits for its response. The last handler of the channel's pipeline.
 */
final class HttpConnection extends SimpleChannelInboundHandler<FullHttpResponse> {

  private Channel channel;
  private volatile CompletableFuture<FullHttpResponse> pending;

  HttpConnection() {
    // The response is handed to the waiting caller, which releases it after reading.
    super(false);
  }

  void attach(Channel channel) {
    this.channel = channel;
  }

  /**
   * Sends the request and waits for the response; the caller must release it.
   *
   * @throws IOException if the connection fails or closes, or no response comes in time
   */
  FullHttpResponse exchange(FullHttpRequest request, Duration timeout) throws IOException {
    CompletableFuture<FullHttpResponse> response = new CompletableFuture<>();
    pending = response;
    channel
        .writeAndFlush(request)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                response.completeExceptionally(f.cause());
              }
            });
    try {
      return response.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IOException("the HTTP exchange failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      abandon(response, e);
      throw new IOException("no HTTP response within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon(response, e);
      throw new IOException("interrupted while waiting for an HTTP response", e);
    }
  }

  /** Gives up on a response: one that arrives after all the same is released, not leaked. */
  private void abandon(CompletableFuture<FullHttpResponse> response, Exception why) {
    if (!response.completeExceptionally(why) && !response.isCompletedExceptionally()) {
      ReferenceCountUtil.release(response.join());
    }
    channel.close();
  }

  void close() {
    channel.close().syncUninterruptibly();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
    CompletableFuture<FullHttpResponse> waiting = pending;
    pending = null;
    if (waiting == null || !waiting.complete(response)) {
      // Nobody waits any more (the caller timed out): the response is ours to drop.
      ReferenceCountUtil.release(response);
    }
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
    CompletableFuture<FullHttpResponse> waiting = pending;
    if (waiting != null) {
      waiting.completeExceptionally(cause);
    }
  }
}
