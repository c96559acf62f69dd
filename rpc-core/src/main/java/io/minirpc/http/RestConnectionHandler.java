package io.minirpc.http;

import io.minirpc.Status;
import io.minirpc.internal.dispatch.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the requests of one HTTP connection, after Netty's {@code HttpServerCodec}: gathers each
 * request's body up to the size limit and hands the whole request to the {@link RestDispatcher},
 * having taken its place in the order of responses as soon as its head came.
 *
 * <p>A body over the limit is answered 413. When its length is declared and not much over the
 * limit, and the client keeps the connection, the body is read and dropped so that the connection
 * serves the next request; a chunked body, a huge one, or one the client waits to send ({@code
 * Expect: 100-continue}) closes the connection after the answer. Netty's {@code
 * HttpObjectAggregator} is not used because it writes its 413 and {@code 100 Continue} itself,
 * ahead of the answers still owed to earlier pipelined requests.
 */
final class RestConnectionHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RestConnectionHandler.class);

  /** Beyond this many pieces, a body is copied into one buffer. */
  private static final int MAX_BODY_COMPONENTS = 1024;

  private enum Discard {
    NOTHING,
    /** The rest of an oversized body, up to the next request. */
    BODY,
    /** Everything: the connection closes once the requests before are answered. */
    ALL
  }

  private final RestDispatcher dispatcher;
  private final int maxBodySize;
  private InOrderResponses responses;
  private HttpRequest head;
  private Exchange exchange;
  private ByteBuf body;
  private Discard discard = Discard.NOTHING;
  private boolean goingAway;

  RestConnectionHandler(RestDispatcher dispatcher, int maxBodySize) {
    this.dispatcher = dispatcher;
    this.maxBodySize = maxBodySize;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    responses = new InOrderResponses(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    responses.holdFlush();
    try {
      // A request that failed to decode may be head and body in one.
      if (msg instanceof HttpRequest request) {
        readHead(ctx, request);
      }
      if (msg instanceof HttpContent content) {
        readContent(ctx, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    responses.releaseFlush();
    ctx.fireChannelReadComplete();
  }

  private void readHead(ChannelHandlerContext ctx, HttpRequest request) {
    if (discard == Discard.ALL) {
      return;
    }
    HttpVersion version = request.protocolVersion();
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      log.warn(
          "Closing HTTP connection from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
      rejectAndClose(
          ctx,
          responses.open(version, false, false),
          malformedStatus(cause),
          Status.INVALID_ARGUMENT.withDescription("malformed HTTP request: " + cause.getMessage()));
      return;
    }
    if (hasUnsupportedExpectation(request)) {
      rejectAndClose(
          ctx,
          responses.open(version, false, false),
          HttpResponseStatus.EXPECTATION_FAILED,
          Status.INVALID_ARGUMENT.withDescription(
              "unsupported expectation: " + request.headers().get(HttpHeaderNames.EXPECT)));
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    boolean continueExpected = HttpUtil.is100ContinueExpected(request);
    long length = HttpUtil.getContentLength(request, -1L);
    boolean tooLarge = length > maxBodySize;
    Exchange opened = responses.open(version, keepAlive, continueExpected && !tooLarge);
    if (opened == null) {
      // An earlier request closes the connection: what follows it is not read.
      discard = Discard.ALL;
      return;
    }
    if (tooLarge) {
      // Dropping a declared body costs reading it, so only one not much larger than the limit.
      boolean dropBody = keepAlive && !continueExpected && length <= 2L * maxBodySize;
      Status status = tooLargeStatus("declares " + length + " bytes");
      if (dropBody) {
        responses.answer(opened, tooLargeResponse(ctx, opened, status));
        discard = Discard.BODY;
      } else {
        rejectAndClose(ctx, opened, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, status);
      }
      return;
    }
    head = request;
    exchange = opened;
  }

  private void readContent(ChannelHandlerContext ctx, HttpContent content) {
    if (discard != Discard.NOTHING) {
      if (discard == Discard.BODY && content instanceof LastHttpContent) {
        discard = Discard.NOTHING;
      }
      return;
    }
    if (exchange == null) {
      return;
    }
    if (content.decoderResult().isFailure()) {
      Throwable cause = content.decoderResult().cause();
      log.warn(
          "Closing HTTP connection from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
      Exchange failed = takeExchange();
      rejectAndClose(
          ctx,
          failed,
          HttpResponseStatus.BAD_REQUEST,
          Status.INVALID_ARGUMENT.withDescription("malformed HTTP request: " + cause.getMessage()));
      return;
    }
    ByteBuf chunk = content.content();
    int received = body == null ? 0 : body.readableBytes();
    if (chunk.readableBytes() > maxBodySize - received) {
      Exchange failed = takeExchange();
      rejectAndClose(
          ctx,
          failed,
          HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          tooLargeStatus("is longer than that"));
      return;
    }
    append(ctx, chunk);
    if (content instanceof LastHttpContent) {
      HttpRequest request = head;
      ByteBuf whole = body != null ? body : Unpooled.EMPTY_BUFFER;
      body = null;
      Exchange complete = takeExchange();
      if (goingAway) {
        whole.release();
        responses.answer(
            complete,
            JsonResponses.failure(
                ctx.alloc(),
                complete.version,
                Status.UNAVAILABLE.withDescription(
                    "the server is shutting down; the call was not run"),
                null));
        return;
      }
      dispatcher.dispatch(ctx, responses, complete, request, whole);
    }
  }

  private void append(ChannelHandlerContext ctx, ByteBuf chunk) {
    if (!chunk.isReadable()) {
      return;
    }
    if (body == null) {
      body = chunk.retain();
      return;
    }
    if (!(body instanceof CompositeByteBuf)) {
      CompositeByteBuf composite = ctx.alloc().compositeBuffer(MAX_BODY_COMPONENTS);
      composite.addComponent(true, body);
      body = composite;
    }
    ((CompositeByteBuf) body).addComponent(true, chunk.retain());
  }

  /** The exchange of the request being read, which is no longer being read; frees its body. */
  private Exchange takeExchange() {
    Exchange taken = exchange;
    exchange = null;
    head = null;
    if (body != null) {
      body.release();
      body = null;
    }
    return taken;
  }

  /** An expectation other than 100-continue, which HTTP/1.0 requests may not have (RFC 9110). */
  private static boolean hasUnsupportedExpectation(HttpRequest request) {
    String expect = request.headers().get(HttpHeaderNames.EXPECT);
    return expect != null
        && request.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0
        && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect);
  }

  private Status tooLargeStatus(String what) {
    return Status.RESOURCE_EXHAUSTED.withDescription(
        "the request body " + what + "; this server accepts at most " + maxBodySize + " bytes");
  }

  private static FullHttpResponse tooLargeResponse(
      ChannelHandlerContext ctx, Exchange exchange, Status status) {
    return JsonResponses.failure(
        ctx.alloc(), exchange.version, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, status, null);
  }

  private static HttpResponseStatus malformedStatus(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return HttpResponseStatus.REQUEST_URI_TOO_LONG;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
    }
    return HttpResponseStatus.BAD_REQUEST;
  }

  /**
   * Answers a request the connection cannot go on after, if it has a place in line, and closes the
   * connection once the requests before it are answered.
   */
  private void rejectAndClose(
      ChannelHandlerContext ctx, Exchange rejected, HttpResponseStatus httpStatus, Status status) {
    discard = Discard.ALL;
    // First, so that the answer below is written as the connection's last.
    responses.closeAfterWaiting();
    if (rejected != null) {
      responses.answer(
          rejected, JsonResponses.failure(ctx.alloc(), rejected.version, httpStatus, status, null));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == ServerEvent.GOING_AWAY) {
      // The request being read is answered UNAVAILABLE when whole; those started are answered.
      goingAway = true;
      responses.closeAfterWaiting();
    } else if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
      closeIfIdle(ctx);
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  /**
   * Nothing arrived for the server's idle timeout. A connection that waits for answers is left
   * open: HTTP/1.1 clients send nothing while they wait, and the calls' deadlines bound the wait.
   * One that owes nothing is closed, as HTTP servers close idle keep-alive connections; one whose
   * request stopped arriving half-way gets 408 first, so that its client knows why.
   */
  private void closeIfIdle(ChannelHandlerContext ctx) {
    if (exchange != null) {
      log.info(
          "Closing HTTP connection from {}: its request stopped arriving",
          ctx.channel().remoteAddress());
      rejectAndClose(
          ctx,
          takeExchange(),
          HttpResponseStatus.REQUEST_TIMEOUT,
          Status.DEADLINE_EXCEEDED.withDescription(
              "the rest of the request did not arrive within the server's idle timeout"));
    } else if (!responses.owesAnswers()) {
      log.debug("Closing idle HTTP connection from {}", ctx.channel().remoteAddress());
      responses.closeAfterWaiting();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    responses.updateReading();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    takeExchange();
    responses.connectionClosed();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      // The client went away, or reset the connection.
      log.debug("HTTP connection from {} failed", ctx.channel().remoteAddress(), cause);
    } else {
      log.warn(
          "Closing HTTP connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }
}
