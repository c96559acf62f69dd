package io.minirpc.server;

import io.minirpc.Attachments;
import io.minirpc.Deadline;
import io.minirpc.MethodCodec;
import io.minirpc.RpcException;
import io.minirpc.Serializer;
import io.minirpc.Status;
import io.minirpc.internal.dispatch.ExportedMethod;
import io.minirpc.internal.dispatch.InFlightCalls;
import io.minirpc.internal.dispatch.ServerCall;
import io.minirpc.internal.dispatch.ServerDispatcher;
import io.minirpc.internal.dispatch.ServerEvent;
import io.minirpc.internal.protocol.AttachmentLimits;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameReader;
import io.minirpc.internal.protocol.FrameType;
import io.minirpc.internal.protocol.FrameWriter;
import io.minirpc.internal.protocol.UnsupportedVersionException;
import io.minirpc.internal.service.StreamingCodec;
import io.minirpc.internal.stream.StreamSignals;
import io.minirpc.internal.transport.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the requests of one connection on its event loop: finds the method a request names before
 * decoding any argument, answers what it can answer at once (unknown service or method, serializer,
 * flags, attachments over the limits), and hands the rest to the server's {@link ServerDispatcher},
 * which runs it on the business executor as a {@link ServerCall} (or refuses it). A frame that
 * breaks the protocol closes the connection, logged once. Answers pings with pongs, cancels the
 * calls the client gives up on (see {@link CancellableCalls}), and closes a connection that has
 * sent nothing for the server's idle timeout.
 */
final class ServerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ServerHandler.class);

  /** How much more than itself a queued request may keep alive of the buffer it was read into. */
  private static final int MAX_SHARED_BYTES = 64 * 1024;

  private final ExportedServices services;
  private final ServerDispatcher dispatcher;
  private final InFlightCalls inFlight;
  private final int maxBodySize;
  private final CancellableCalls cancellable = new CancellableCalls();
  private final AttachmentLimits attachmentLimits;
  // The stream calls of this connection that have not ended, for their items, credit and end.
  private final Map<Long, ServerStream> streams = new ConcurrentHashMap<>();
  private final StreamSignals touched = new StreamSignals();
  private WriteQueue writes;
  private boolean closing;
  private boolean goingAway;

  ServerHandler(
      ExportedServices services,
      ServerDispatcher dispatcher,
      InFlightCalls inFlight,
      int maxBodySize,
      AttachmentLimits attachmentLimits) {
    this.services = services;
    this.dispatcher = dispatcher;
    this.inFlight = inFlight;
    this.maxBodySize = maxBodySize;
    this.attachmentLimits = attachmentLimits;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == ServerEvent.GOING_AWAY) {
      goingAway = true;
      ctx.writeAndFlush(FrameWriter.goingAway(ctx.alloc()), ctx.voidPromise());
    } else if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
      // A live client pings well within this time, even when it has nothing to call: the peer is
      // gone, or the network between us is, and the connection only holds resources.
      if (!closing) {
        closing = true;
        log.info("Closing connection from {}: silent for too long", ctx.channel().remoteAddress());
        ctx.close();
      }
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    writes = new WriteQueue(ctx.channel());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    touched.signalAll();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    touched.signalAll();
    // The client is gone, and with it whoever waited for the answers: its calls still queued
    // never run, as if it had cancelled each (gRPC cancels a call's context the same way).
    // One-way calls are not among them; they run.
    for (ServerStream stream : streams.values()) {
      stream.cancel();
    }
    int cancelled = cancellable.cancelAll();
    if (cancelled > 0) {
      log.debug(
          "Connection from {} closed with {} calls unanswered: none will be answered, queued ones"
              + " will not run",
          ctx.channel().remoteAddress(),
          cancelled);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    boolean handedOver = false;
    try {
      if (FrameReader.type(frame) == FrameType.PING.value()) {
        ctx.writeAndFlush(
            FrameWriter.pong(ctx.alloc(), FrameReader.requestId(frame)), ctx.voidPromise());
        return;
      }
      if (FrameReader.type(frame) == FrameType.CANCEL.value()) {
        cancel(ctx, FrameReader.requestId(frame));
        return;
      }
      if (isStreamFrame(FrameReader.type(frame))) {
        streamFrame(ctx, frame);
        return;
      }
      if (FrameReader.type(frame) != FrameType.REQUEST.value()) {
        protocolError(
            ctx,
            "frame of type " + (FrameReader.type(frame) & 0xFF) + " where a request was expected");
        return;
      }
      handedOver = dispatch(ctx, frame);
    } finally {
      if (!handedOver) {
        frame.release();
      }
    }
  }

  /**
   * Returns whether the frame was handed to the dispatcher, whose call then releases it (or a copy
   * of its bytes, and then the frame is released here).
   */
  private boolean dispatch(ChannelHandlerContext ctx, ByteBuf frame) {
    long receivedAt = System.nanoTime();
    long requestId = FrameReader.requestId(frame);
    int serializerId = FrameReader.serializerId(frame);
    int flags = FrameReader.flags(frame);
    boolean oneWay = (flags & FrameHeader.FLAG_ONE_WAY) != 0;
    int timeoutMillis = FrameReader.timeoutMillis(frame);
    Responder responder =
        new Responder(
            ctx.alloc(),
            writes,
            inFlight,
            cancellable,
            requestId,
            serializerId,
            oneWay,
            maxBodySize);
    if (goingAway) {
      // Sent before the client saw the going-away frame: it may safely go to another provider.
      responder.refuseUnprocessed(
          Status.UNAVAILABLE.withDescription("the server is shutting down; the call was not run"));
      return false;
    }
    if ((flags & ~FrameHeader.KNOWN_FLAGS) != 0) {
      responder.fail(
          Status.INVALID_ARGUMENT.withDescription(
              String.format("unknown request flags 0x%02X", flags & ~FrameHeader.KNOWN_FLAGS)));
      return false;
    }
    FrameReader.skipHeader(frame);
    String serviceKey;
    String methodName;
    try {
      serviceKey = FrameReader.readString(frame);
      methodName = FrameReader.readString(frame);
    } catch (CorruptedFrameException e) {
      responder.fail(
          Status.INVALID_ARGUMENT.withDescription("malformed request: " + e.getMessage()));
      return false;
    }
    Map<String, ExportedMethod> methods = services.service(serviceKey);
    if (methods == null) {
      responder.fail(
          Status.NOT_FOUND.withDescription("no service '" + serviceKey + "' on this server"));
      return false;
    }
    ExportedMethod method = methods.get(methodName);
    if (method == null) {
      responder.fail(
          Status.NOT_FOUND.withDescription(
              "service '" + serviceKey + "' has no method '" + methodName + "'"));
      return false;
    }
    MethodCodec codec = method.codec(serializerId);
    if (codec == null) {
      responder.fail(Status.UNIMPLEMENTED.withDescription(noCodec(serviceKey, serializerId)));
      return false;
    }
    boolean streamCall = (flags & FrameHeader.FLAG_STREAM) != 0;
    if (streamCall != method.descriptor().isStreaming()) {
      responder.fail(
          streamCall
              ? Status.INVALID_ARGUMENT.withDescription(
                  method.descriptor().displayName()
                      + " is not a stream method, yet the request opens a stream")
              : Status.UNIMPLEMENTED.withDescription(
                  method.descriptor().displayName()
                      + " streams (it takes or returns a Flow.Publisher): only a stub of its"
                      + " interface can call it"));
      return false;
    }
    if (streamCall && oneWay) {
      responder.fail(Status.INVALID_ARGUMENT.withDescription("a stream call cannot be one-way"));
      return false;
    }
    Attachments attachments = Attachments.EMPTY;
    if ((flags & FrameHeader.FLAG_ATTACHMENTS) != 0) {
      try {
        attachments = FrameReader.readAttachments(frame, attachmentLimits);
      } catch (RpcException e) {
        responder.fail(e.status());
        return false;
      }
    }
    Deadline deadline =
        timeoutMillis > 0 ? Deadline.atNanoTime(receivedAt + timeoutMillis * 1_000_000L) : null;
    ServerStream stream = null;
    if (streamCall) {
      if (frame.readableBytes() < 4) {
        responder.fail(
            Status.INVALID_ARGUMENT.withDescription(
                "malformed request: the body ends where the stream's first credit was expected"));
        return false;
      }
      int firstCredit = frame.readInt();
      stream =
          new ServerStream(
              method.descriptor(),
              (StreamingCodec) codec,
              ctx.alloc(),
              writes,
              requestId,
              serializerId,
              maxBodySize,
              Math.max(0, firstCredit),
              deadline,
              responder,
              dispatcher.executor(),
              streams);
      if (streams.putIfAbsent(requestId, stream) != null) {
        responder.fail(
            Status.INVALID_ARGUMENT.withDescription(
                "request id " + requestId + " is already the id of a stream call in progress"));
        return false;
      }
      responder.streaming(stream);
      stream.accepted();
    }
    ByteBuf body = ownBytes(ctx, frame);
    dispatcher.dispatch(
        method,
        codec,
        body,
        responder,
        attachments,
        ctx.channel().remoteAddress(),
        deadline,
        stream == null ? null : stream.requestStream());
    if (body != frame) {
      frame.release();
    }
    return true;
  }

  /**
   * The request's bytes from its reader index on, in a buffer that holds little else. A frame is a
   * slice of the buffer it was read into, and keeps all of that alive while it waits for a thread:
   * up to a whole read batch of other requests, already answered or refused. A frame in a buffer
   * much larger than itself is copied out (not released: the caller does that), so that what waits
   * in the executor's queue is bounded by the requests themselves.
   */
  private static ByteBuf ownBytes(ChannelHandlerContext ctx, ByteBuf frame) {
    ByteBuf whole = frame.unwrap();
    if (whole == null || whole.capacity() - frame.readableBytes() <= MAX_SHARED_BYTES) {
      return frame;
    }
    ByteBuf copy = ctx.alloc().buffer(frame.readableBytes());
    copy.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
    return copy;
  }

  private static boolean isStreamFrame(byte type) {
    return type == FrameType.STREAM_ITEM.value()
        || type == FrameType.STREAM_END.value()
        || type == FrameType.STREAM_CREDIT.value();
  }

  /**
   * A frame of a stream call: goes to its stream, or is dropped when the call has ended (it crossed
   * the response on the wire).
   */
  private void streamFrame(ChannelHandlerContext ctx, ByteBuf frame) {
    ServerStream stream = streams.get(FrameReader.requestId(frame));
    if (stream == null) {
      return;
    }
    byte type = FrameReader.type(frame);
    FrameReader.skipHeader(frame);
    if (type == FrameType.STREAM_ITEM.value()) {
      touched.add(stream.item(frame));
    } else if (type == FrameType.STREAM_END.value()) {
      stream.requestEnded();
    } else if (frame.readableBytes() < 4) {
      protocolError(ctx, "a stream credit frame without its count");
    } else {
      stream.credit(frame.readInt());
    }
  }

  private void cancel(ChannelHandlerContext ctx, long requestId) {
    ServerStream stream = streams.get(requestId);
    if (stream != null) {
      stream.cancel();
    }
    if (cancellable.cancel(requestId)) {
      log.debug("{} cancelled request {}", ctx.channel().remoteAddress(), requestId);
    }
    // Unknown: answered already, or never sent. The client cannot tell the two apart; no reply.
  }

  private String noCodec(String serviceKey, int serializerId) {
    Serializer serializer = services.serializer(serializerId);
    if (serializer == null) {
      return "serializer "
          + serializerId
          + " is not available on this server; it accepts "
          + services.describeSerializers();
    }
    return "service '"
        + serviceKey
        + "' cannot be called with the "
        + serializer.name()
        + " serializer: "
        + services.refusal(serviceKey, serializerId);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (closing || !ctx.channel().isActive()) {
      // Already closing, or a late write failed on a closed connection: nothing more to say.
      return;
    }
    if (cause instanceof UnsupportedVersionException e && e.isRequest()) {
      // Tell the peer why before closing; the error frame uses only this version's header.
      closing = true;
      log.warn("Closing connection from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
      ByteBuf error =
          FrameWriter.error(
              ctx.alloc(),
              e.requestId(),
              0,
              Status.UNIMPLEMENTED.withDescription(cause.getMessage()),
              null);
      ctx.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (cause instanceof DecoderException) {
      // The peer broke the protocol (bad magic, a length over the maximum, ...): its fault.
      protocolError(ctx, String.valueOf(cause.getMessage()));
    } else if (cause instanceof IOException) {
      // The network failed (a reset, say): nothing for this server to fix or report loudly.
      closing = true;
      log.debug("Closing connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    } else {
      // Whatever the bytes, reading them must not throw anything else: this is a bug of ours.
      closing = true;
      log.error(
          "Closing connection from {} after an unexpected failure",
          ctx.channel().remoteAddress(),
          cause);
      ctx.close();
    }
  }

  private void protocolError(ChannelHandlerContext ctx, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    log.warn("Closing connection from {}: {}", ctx.channel().remoteAddress(), reason);
    ctx.close();
  }
}
