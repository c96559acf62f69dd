package io.minirpc.internal.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import java.util.function.Consumer;

/**
 * Closes a client connection whose TLS failed, saying why. A failed handshake is reported through
 * the handshake's future, to the calls waiting for the connection; a failure after it (the server
 * refusing this client's certificate once the handshake is over on this side, as TLS 1.3 allows)
 * closes the connection with a reason that the calls pending on it fail with. Either way, the
 * handlers behind never see the TLS error, which they would take for a violation of their protocol.
 */
final class ClientTlsFailureHandler extends ChannelInboundHandlerAdapter {

  private final SslHandler ssl;
  private final Consumer<String> closeBecause;

  ClientTlsFailureHandler(SslHandler ssl, Consumer<String> closeBecause) {
    this.ssl = ssl;
    this.closeBecause = closeBecause;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!TlsFailures.isTls(cause)) {
      ctx.fireExceptionCaught(cause);
    } else if (!ssl.handshakeFuture().isSuccess()) {
      ctx.close();
    } else {
      // The channel is closed already, but its pending calls fail only once it is inactive, next.
      closeBecause.accept("TLS failed: " + TlsFailures.describe(cause, "server", "client"));
    }
  }
}
