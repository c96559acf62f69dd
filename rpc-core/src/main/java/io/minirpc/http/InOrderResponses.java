package io.minirpc.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayDeque;

/**
 * Writes the responses of one connection in the order its requests came, as HTTP/1.1 requires of
 * pipelined requests, whichever call finishes first: a response waits until those before it are
 * written. Closes the connection after the last response when the client or the server asked for
 * that. Stops reading while too many requests wait for their turn or the client does not read what
 * is written, so that a client cannot make the server hold an unbounded backlog. Used on the
 * connection's event loop only.
 */
final class InOrderResponses {

  /**
   * Requests that may wait for their answers before the connection stops reading. Well under the
   * 128 that Netty's HttpServerCodec allows before it gives up on the connection.
   */
  static final int MAX_WAITING = 16;

  private final ChannelHandlerContext ctx;
  private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();

  /** The response to the last request waiting now closes the connection; no request follows. */
  private boolean closing;

  private boolean closed;
  private boolean flushHeld;
  private boolean unflushed;

  InOrderResponses(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Takes the place in line of a request whose head just came; {@code null} if the connection takes
   * no more requests, because an earlier one asked to close it or the server is closing it.
   */
  Exchange open(HttpVersion version, boolean keepAlive, boolean continueExpected) {
    if (closing) {
      return null;
    }
    Exchange exchange = new Exchange(version, keepAlive);
    exchange.continueExpected = continueExpected;
    closing = !keepAlive;
    waiting.add(exchange);
    if (waiting.size() == 1) {
      sendContinueIfExpected(exchange);
      flush();
    }
    updateReading();
    return exchange;
  }

  /** Gives a request its response, written as soon as those before it are; the first one wins. */
  void answer(Exchange exchange, FullHttpResponse response) {
    if (closed || exchange.isAnswered()) {
      response.release();
      return;
    }
    exchange.response = response;
    if (exchange.deadlineTimer != null) {
      exchange.deadlineTimer.cancel(false);
    }
    writeAnswered();
  }

  /** Whether some request of the connection has not had its answer written yet. */
  boolean owesAnswers() {
    return !waiting.isEmpty();
  }

  /** Takes no more requests, and closes the connection once the waiting ones are answered. */
  void closeAfterWaiting() {
    closing = true;
    if (waiting.isEmpty() && !closed) {
      closed = true;
      // Closes once what was written before is out, not dropping a response still unflushed.
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Between the reads of one batch, writes wait for one flush at its end. */
  void holdFlush() {
    flushHeld = true;
  }

  void releaseFlush() {
    flushHeld = false;
    if (unflushed) {
      unflushed = false;
      ctx.flush();
    }
  }

  /** Reads while few requests wait and the client keeps up with what is written. */
  void updateReading() {
    boolean read = !closed && waiting.size() < MAX_WAITING && ctx.channel().isWritable();
    ChannelConfig config = ctx.channel().config();
    if (config.isAutoRead() != read) {
      config.setAutoRead(read);
    }
  }

  /** The connection is gone: frees the responses still waiting and stops their timers. */
  void connectionClosed() {
    closed = true;
    Exchange exchange;
    while ((exchange = waiting.poll()) != null) {
      if (exchange.response != null) {
        exchange.response.release();
      }
      if (exchange.deadlineTimer != null) {
        exchange.deadlineTimer.cancel(false);
      }
    }
  }

  private void writeAnswered() {
    Exchange head;
    while ((head = waiting.peek()) != null && head.isAnswered()) {
      waiting.poll();
      boolean last = closing && waiting.isEmpty();
      HttpUtil.setKeepAlive(head.response, !last);
      if (last) {
        closed = true;
        ctx.writeAndFlush(head.response).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      ctx.write(head.response, ctx.voidPromise());
      unflushed = true;
    }
    if (head != null) {
      sendContinueIfExpected(head);
    }
    flush();
    updateReading();
  }

  /** {@code 100 Continue} goes out when the request is first in line, never ahead of another's. */
  private void sendContinueIfExpected(Exchange exchange) {
    if (exchange.continueExpected && !exchange.isAnswered()) {
      exchange.continueExpected = false;
      ctx.write(
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER),
          ctx.voidPromise());
      unflushed = true;
    }
  }

  private void flush() {
    if (unflushed && !flushHeld) {
      unflushed = false;
      ctx.flush();
    }
  }
}
