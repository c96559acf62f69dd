package io.minirpc.internal.tls;

import io.minirpc.tls.ClientTls;
import io.minirpc.tls.ServerTls;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.util.function.Consumer;

/** Puts TLS at the front of a connection's pipeline, before the protocol it carries. */
public final class TlsHandlers {

  private TlsHandlers() {}

  /**
   * For a connection a server accepted.
   *
   * @param plaintextAnswer what a client that does not speak TLS is told before it is closed
   */
  public static void addServerSide(
      Channel channel, ServerTls tls, PlaintextAnswer plaintextAnswer) {
    SslHandler ssl = tls.sslContext().newHandler(channel.alloc());
    ssl.setHandshakeTimeoutMillis(tls.handshakeTimeout().toMillis());
    channel
        .pipeline()
        .addLast(
            new PlaintextRefusalHandler(plaintextAnswer), ssl, new ServerTlsFailureHandler(ssl));
  }

  /**
   * For a connection a client opens to this host and port: the host (or the configured server name)
   * is what the server's certificate must name.
   *
   * @param closeBecause closes the connection, failing its pending calls with the reason given
   */
  public static void addClientSide(
      Channel channel, ClientTls tls, String host, int port, Consumer<String> closeBecause) {
    SslHandler ssl =
        tls.sslContext().newHandler(channel.alloc(), tls.serverName().orElse(host), port);
    ssl.setHandshakeTimeoutMillis(tls.handshakeTimeout().toMillis());
    channel.pipeline().addLast(ssl, new ClientTlsFailureHandler(ssl, closeBecause));
  }

  /**
   * Completes when the connection may carry requests: at once without TLS, once the handshake
   * succeeded with it; fails with the handshake's failure.
   */
  public static Future<Channel> ready(Channel channel) {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    return ssl == null ? channel.eventLoop().newSucceededFuture(channel) : ssl.handshakeFuture();
  }
}
