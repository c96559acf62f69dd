package io.minirpc.internal.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a server connection whose TLS failed, and logs why once: at WARN, or at DEBUG when the
 * client merely hung up during the handshake (as a port probe does). It keeps TLS errors from the
 * handlers behind it, which would take them for violations of their own protocol.
 */
final class ServerTlsFailureHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ServerTlsFailureHandler.class);

  private final SslHandler ssl;
  private boolean reported;

  ServerTlsFailureHandler(SslHandler ssl) {
    this.ssl = ssl;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
      failed(ctx, e.cause());
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (TlsFailures.isTls(cause)) {
      failed(ctx, cause);
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  private void failed(ChannelHandlerContext ctx, Throwable cause) {
    if (!reported) {
      reported = true;
      String format =
          ssl.handshakeFuture().isSuccess()
              ? "TLS failed on the connection from {}, closing it: {}"
              : "TLS handshake with {} failed, closing the connection: {}";
      String why = TlsFailures.describe(cause, "client", "server");
      if (TlsFailures.isHangUp(cause)) {
        log.debug(format, ctx.channel().remoteAddress(), why);
      } else {
        log.warn(format, ctx.channel().remoteAddress(), why);
      }
    }
    ctx.close();
  }
}
