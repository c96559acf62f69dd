package io.minirpc.internal.tls;

import io.minirpc.internal.protocol.FrameHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import java.util.List;

/**
 * Sits in front of a server connection's {@link SslHandler} until the client's first bytes tell
 * whether it speaks TLS. If it does, this handler leaves the pipeline and hands them on. If not, it
 * answers in plain text ({@link PlaintextAnswer}), closes the connection, and reports a {@link
 * NotSslRecordException} to the handlers behind, which log it once.
 *
 * <p>The answer and the close start here, in front of the {@code SslHandler}, so that they reach
 * the client unencrypted and with no TLS alert after them.
 */
final class PlaintextRefusalHandler extends ByteToMessageDecoder {

  /** A TLS record header is 5 bytes long. */
  private static final int TLS_RECORD_HEADER = 5;

  private final PlaintextAnswer answers;
  private boolean refused;

  PlaintextRefusalHandler(PlaintextAnswer answers) {
    this.answers = answers;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (refused) {
      // What arrives before the connection is closed.
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < TLS_RECORD_HEADER) {
      return;
    }
    if (SslHandler.isEncrypted(in, false)) {
      ctx.pipeline().remove(this);
      return;
    }
    // A request's header says which call to answer; a client that sends less and waits is closed by
    // the handshake timeout.
    if (in.readableBytes() < FrameHeader.SIZE) {
      return;
    }
    refused = true;
    ByteBuf answer = answers.answer(in, ctx.alloc());
    in.skipBytes(in.readableBytes());
    if (answer != null) {
      ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
    ctx.fireExceptionCaught(new NotSslRecordException("the client does not speak TLS"));
  }
}
