package io.minirpc.client;

import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameReader;
import io.minirpc.internal.protocol.FrameType;
import io.minirpc.internal.service.CodecFailure;
import io.minirpc.internal.stream.StreamSignals;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the pending calls of one connection from the response frames that arrive on it, and
 * fails them all when it closes.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

  private final ClientConnection connection;
  private final StreamSignals touched = new StreamSignals();

  ClientHandler(ClientConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      if (FrameReader.type(frame) == FrameType.GOING_AWAY.value()) {
        connection.goingAway();
        return;
      }
      if (FrameReader.type(frame) == FrameType.STREAM_ITEM.value()
          || FrameReader.type(frame) == FrameType.STREAM_CREDIT.value()) {
        streamFrame(frame);
        return;
      }
      if (FrameReader.type(frame) != FrameType.RESPONSE.value()) {
        protocolError(
            "the server sent a frame of type "
                + FrameReader.type(frame)
                + " where a response was expected");
        return;
      }
      int flags = FrameReader.flags(frame);
      if ((flags & FrameHeader.FLAG_TAKES_CANCEL) != 0) {
        connection.serverTakesCancel();
      }
      PendingCall call = connection.remove(FrameReader.requestId(frame));
      if (call == null) {
        // The call ended already (deadline or cancellation): nobody wants this answer.
        return;
      }
      Status.Code code = FrameReader.status(frame);
      boolean unprocessed = (flags & FrameHeader.FLAG_UNPROCESSED) != 0;
      FrameReader.skipHeader(frame);
      if (code == Status.Code.OK) {
        complete(call, frame);
      } else {
        fail(call, code, unprocessed, frame);
      }
    } finally {
      frame.release();
    }
  }

  /** An item or credit of a stream call: goes to the call, or is dropped if it has ended. */
  private void streamFrame(ByteBuf frame) {
    // Only a server that speaks streams sends these, and every such server takes cancels.
    connection.serverTakesCancel();
    PendingCall call = connection.pendingCall(FrameReader.requestId(frame));
    if (!(call instanceof ClientStreamCall.Attempt stream)) {
      return;
    }
    boolean item = FrameReader.type(frame) == FrameType.STREAM_ITEM.value();
    FrameReader.skipHeader(frame);
    if (item) {
      touched.add(stream.item(frame));
    } else if (frame.readableBytes() < 4) {
      protocolError("the server sent a stream credit frame without its count");
    } else {
      stream.credit(frame.readInt());
    }
  }

  private static void complete(PendingCall call, ByteBuf body) {
    if (call.resultCodec == null) {
      // The end of a response stream: no result.
      call.complete(null);
      return;
    }
    if (call.answerAsBytes) {
      call.complete(new PendingCall.ResultBytes(ByteBufUtil.getBytes(body)));
      return;
    }
    Object result;
    try {
      result = call.resultCodec.readResult(new ByteBufInputStream(body));
    } catch (Throwable t) {
      call.fail(
          CodecFailure.of("could not decode the result of " + call.descriptor.displayName(), t));
      return;
    }
    call.complete(result);
  }

  private void fail(PendingCall call, Status.Code code, boolean unprocessed, ByteBuf body) {
    String remoteType;
    String message;
    try {
      remoteType = FrameReader.readString(body);
      message = FrameReader.readString(body);
    } catch (RuntimeException e) {
      call.fail(
          Status.INTERNAL
              .withDescription(
                  "malformed error response for "
                      + call.descriptor.displayName()
                      + ": "
                      + e.getMessage())
              .asException(e));
      return;
    }
    if (unprocessed && code == Status.Code.UNAVAILABLE) {
      call.fail(
          new UnprocessedRequestException(
              connection.provider().address() + " did not run the call: " + message, null));
      return;
    }
    if (unprocessed && code == Status.Code.RESOURCE_EXHAUSTED) {
      // Too busy to take it, and it did not run: another provider may take it.
      call.fail(new UnprocessedRequestException(code.toStatus().withDescription(message), null));
      return;
    }
    call.fail(
        new RpcException(
            code.toStatus().withDescription(message),
            remoteType.isEmpty() ? null : remoteType,
            null));
  }

  private void protocolError(String reason) {
    log.warn("Closing connection to {}: {}", connection.provider(), reason);
    connection.closeBecause(reason);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!ctx.channel().isActive()) {
      return;
    }
    if (cause instanceof IOException) {
      // The network failed (a reset by a provider that died, say): the calls it fails say why,
      // and there is nothing wrong with either peer's bytes to warn about.
      log.debug("Closing connection to {}: {}", connection.provider(), cause.toString());
      connection.closeBecause(String.valueOf(cause.getMessage()));
    } else {
      protocolError(String.valueOf(cause.getMessage()));
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    touched.signalAll();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    connection.roomMayHaveFreed();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    touched.signalAll();
    connection.closed();
    ctx.fireChannelInactive();
  }
}
