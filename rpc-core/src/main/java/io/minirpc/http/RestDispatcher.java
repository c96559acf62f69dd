package io.minirpc.http;

import io.minirpc.Attachments;
import io.minirpc.Deadline;
import io.minirpc.RpcException;
import io.minirpc.ServerCallContext;
import io.minirpc.ServerInterceptor;
import io.minirpc.Status;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import io.minirpc.internal.call.ServerCallContexts;
import io.minirpc.internal.dispatch.InFlightCalls;
import io.minirpc.internal.dispatch.ServerDispatcher;
import io.minirpc.internal.dispatch.ServerInterceptors;
import io.minirpc.internal.protocol.AttachmentLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * Serves one whole request: the service listing, a health check, or a call, which it checks (path,
 * HTTP method, content type, timeout header, attachment headers) and hands to the server's {@link
 * ServerDispatcher}, just as the minirpc protocol does. Shared by every connection of a bridge.
 *
 * <p>The listing ({@code GET /} or {@code GET /services}) passes the server's interceptors as a
 * call of method {@value #LIST_SERVICES} of service {@value ServerInterceptor#REFLECTION_SERVICE},
 * without a deadline, its result {@code null}; they run on the connection's I/O thread, where the
 * listing is answered. A server without interceptors answers it at once. A health check ({@code GET
 * /health[/<service key>]}) passes them the same way, as method {@value HealthEndpoint#CHECK} of
 * service {@value Health#SERVICE}, as it does over the minirpc protocol; its result is the {@link
 * ServingStatus}. Both are looked for only once a request matched no method. A server whose
 * reflection is switched off has no listing: {@code GET /} is then a 404 as any unknown path.
 */
final class RestDispatcher {

  /** Sets the call's deadline, in milliseconds from when the request arrives. */
  static final AsciiString TIMEOUT_HEADER = AsciiString.cached("X-Minirpc-Timeout-Ms");

  /** The method name interceptors see for the service listing. */
  static final String LIST_SERVICES = "listServices";

  private static final byte[] NO_ARGUMENTS = "[]".getBytes(StandardCharsets.US_ASCII);
  private static final AsciiString POST = AsciiString.cached("POST");
  private static final AsciiString GET_HEAD = AsciiString.cached("GET, HEAD");

  private final RestRoutes routes;
  // Null when the server's reflection is switched off.
  private final byte[] listing;
  private final HealthEndpoint health;
  private final ServerDispatcher dispatcher;
  private final InFlightCalls inFlight;
  private final AttachmentLimits attachmentLimits;

  RestDispatcher(
      RestRoutes routes,
      byte[] listing,
      HealthEndpoint health,
      ServerDispatcher dispatcher,
      InFlightCalls inFlight,
      AttachmentLimits attachmentLimits) {
    this.routes = routes;
    this.listing = listing;
    this.health = health;
    this.dispatcher = dispatcher;
    this.inFlight = inFlight;
    this.attachmentLimits = attachmentLimits;
  }

  /**
   * Answers the request or starts its call.
   *
   * @param body the whole body; released here or by the call
   */
  void dispatch(
      ChannelHandlerContext ctx,
      InOrderResponses responses,
      Exchange exchange,
      HttpRequest head,
      ByteBuf body) {
    boolean handedOver = false;
    try {
      handedOver = serve(ctx, responses, exchange, head, body);
    } finally {
      if (!handedOver) {
        body.release();
      }
    }
  }

  /** Returns whether the body was handed to the dispatcher, whose call then releases it. */
  private boolean serve(
      ChannelHandlerContext ctx,
      InOrderResponses responses,
      Exchange exchange,
      HttpRequest head,
      ByteBuf body) {
    String uri = head.uri();
    RestMethod target = routes.find(uri);
    if (target == null) {
      serveOwnPathOrNotFound(ctx, responses, exchange, head);
      return false;
    }
    if (!HttpMethod.POST.equals(head.method())) {
      refuse(
          ctx,
          responses,
          exchange,
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          Status.UNIMPLEMENTED.withDescription(
              "call a method with POST, not " + head.method() + "; GET / lists the methods"),
          POST);
      return false;
    }
    Status unreadable = checkContentType(head);
    if (unreadable != null) {
      refuse(ctx, responses, exchange, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, unreadable, null);
      return false;
    }
    long timeoutMillis = target.timeoutMillis();
    String timeoutHeader = head.headers().get(TIMEOUT_HEADER);
    if (timeoutHeader != null) {
      timeoutMillis = parseTimeout(timeoutHeader);
      if (timeoutMillis < 0) {
        answerFailure(
            ctx,
            responses,
            exchange,
            Status.INVALID_ARGUMENT.withDescription(
                TIMEOUT_HEADER
                    + " must be a whole number of milliseconds from 1 to "
                    + Integer.MAX_VALUE
                    + ", not '"
                    + timeoutHeader
                    + "'"));
        return false;
      }
    }
    if (target.codec() == null) {
      answerFailure(
          ctx,
          responses,
          exchange,
          Status.UNIMPLEMENTED.withDescription(
              "service '"
                  + target.method().descriptor().service().key()
                  + "' cannot be called over REST: "
                  + target.refusal()));
      return false;
    }
    Attachments attachments = attachments(ctx, responses, exchange, head);
    if (attachments == null) {
      return false;
    }
    ByteBuf arguments = body;
    if (!body.isReadable()) {
      // No body at all stands for no arguments, so that a method without any needs none.
      body.release();
      arguments = Unpooled.wrappedBuffer(NO_ARGUMENTS);
    }
    Deadline deadline = Deadline.atNanoTime(System.nanoTime() + timeoutMillis * 1_000_000L);
    HttpCallResponder responder =
        new HttpCallResponder(
            exchange,
            responses,
            ctx.executor(),
            ctx.alloc(),
            inFlight,
            target.method().descriptor().displayName(),
            timeoutMillis,
            deadline);
    dispatcher.dispatch(
        target.method(),
        target.codec(),
        arguments,
        responder,
        attachments,
        ctx.channel().remoteAddress(),
        deadline);
    return true;
  }

  /** The request's attachments, or {@code null} once it is answered for headers out of bounds. */
  private Attachments attachments(
      ChannelHandlerContext ctx, InOrderResponses responses, Exchange exchange, HttpRequest head) {
    try {
      return RestAttachments.of(head.headers(), attachmentLimits);
    } catch (RpcException e) {
      HttpResponseStatus httpStatus =
          e.code() == Status.Code.RESOURCE_EXHAUSTED
              ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
              : HttpResponseStatus.BAD_REQUEST;
      refuse(ctx, responses, exchange, httpStatus, e.status(), null);
      return null;
    }
  }

  /** The bridge's own paths, the listing and the health checks; a 404 for any other. */
  private void serveOwnPathOrNotFound(
      ChannelHandlerContext ctx, InOrderResponses responses, Exchange exchange, HttpRequest head) {
    String path = RestRoutes.pathOf(head.uri());
    boolean isListing = listing != null && (path.equals("/") || path.equals("/services"));
    String healthOf = isListing ? null : HealthEndpoint.serviceOf(path);
    if (!isListing && healthOf == null) {
      answerFailure(ctx, responses, exchange, routes.notFound(head.uri()));
    } else if (!HttpMethod.GET.equals(head.method()) && !HttpMethod.HEAD.equals(head.method())) {
      refuse(
          ctx,
          responses,
          exchange,
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          Status.UNIMPLEMENTED.withDescription(
              (isListing ? "the service listing" : "the health check")
                  + " answers GET, not "
                  + head.method()),
          GET_HEAD);
    } else {
      serveOwn(ctx, responses, exchange, head, isListing ? new Listing() : health.check(healthOf));
    }
  }

  /**
   * Answers at once on a server without interceptors; otherwise passes the answer through them on
   * this I/O thread, as a call without a deadline.
   */
  private void serveOwn(
      ChannelHandlerContext ctx,
      InOrderResponses responses,
      Exchange exchange,
      HttpRequest head,
      OwnAnswer own) {
    ServerInterceptors interceptors = dispatcher.interceptors();
    if (interceptors.isEmpty()) {
      FullHttpResponse response;
      try {
        response = own.response(exchange.version, own.result());
      } catch (RpcException e) {
        answerFailure(ctx, responses, exchange, e.status());
        return;
      }
      responses.answer(exchange, response);
      return;
    }
    Attachments attachments = attachments(ctx, responses, exchange, head);
    if (attachments == null) {
      return;
    }
    ServerCallContext call =
        ServerCallContexts.create(
            own.service(), own.method(), attachments, ctx.channel().remoteAddress(), null);
    HttpCallResponder responder =
        new HttpCallResponder(
            exchange, responses, ctx.executor(), ctx.alloc(), inFlight, own.what(), 0, null);
    interceptors
        .intercept(call, own)
        .whenComplete(
            (result, failure) -> {
              if (failure != null) {
                responder.fail(ServerInterceptors.answerTo(failure, call, own.ran()));
                return;
              }
              FullHttpResponse response;
              try {
                response = own.response(exchange.version, result);
              } catch (RpcException e) {
                responder.fail(e);
                return;
              }
              responder.succeed(response);
            });
  }

  /** The innermost step of the listing's chain: the listing is ready, so its result is null. */
  private final class Listing extends OwnAnswer {

    Listing() {
      super(ServerInterceptor.REFLECTION_SERVICE, LIST_SERVICES, "the listing");
    }

    @Override
    Object result() {
      return null;
    }

    @Override
    FullHttpResponse response(HttpVersion version, Object result) {
      return JsonResponses.ok(version, listing);
    }
  }

  /**
   * Why the body cannot be read as the call's arguments, or {@code null} if it can. Only JSON is
   * read, and only when the client says it sends JSON: a browser cannot send that type to another
   * site without asking first (CORS), which keeps other sites from calling services on a user's
   * behalf.
   */
  private static Status checkContentType(HttpRequest head) {
    CharSequence mime = HttpUtil.getMimeType(head);
    if (mime == null || !isJson(mime)) {
      return Status.INVALID_ARGUMENT.withDescription(
          "send the arguments as a JSON array with Content-Type: application/json"
              + (mime == null ? "" : ", not " + mime));
    }
    if (HttpUtil.getCharset(head, StandardCharsets.UTF_8) != StandardCharsets.UTF_8) {
      return Status.INVALID_ARGUMENT.withDescription(
          "JSON must be sent in UTF-8, not " + HttpUtil.getCharsetAsSequence(head));
    }
    return null;
  }

  private static boolean isJson(CharSequence mime) {
    return AsciiString.contentEqualsIgnoreCase(mime, "application/json")
        || (AsciiString.indexOfIgnoreCaseAscii(mime, "application/", 0) == 0
            && mime.length() > 5
            && AsciiString.contentEqualsIgnoreCase(
                mime.subSequence(mime.length() - 5, mime.length()), "+json"));
  }

  /** The timeout a header sets, or -1 if it is not a whole number from 1 to Integer.MAX_VALUE. */
  static long parseTimeout(String value) {
    if (value.isEmpty() || value.length() > 10) {
      return -1;
    }
    long millis = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      millis = millis * 10 + (c - '0');
    }
    return millis >= 1 && millis <= Integer.MAX_VALUE ? millis : -1;
  }

  private static void answerFailure(
      ChannelHandlerContext ctx, InOrderResponses responses, Exchange exchange, Status status) {
    responses.answer(exchange, JsonResponses.failure(ctx.alloc(), exchange.version, status, null));
  }

  private static void refuse(
      ChannelHandlerContext ctx,
      InOrderResponses responses,
      Exchange exchange,
      HttpResponseStatus httpStatus,
      Status status,
      AsciiString allow) {
    FullHttpResponse response =
        JsonResponses.failure(ctx.alloc(), exchange.version, httpStatus, status, null);
    if (allow != null) {
      response.headers().set(HttpHeaderNames.ALLOW, allow);
    }
    responses.answer(exchange, response);
  }
}
