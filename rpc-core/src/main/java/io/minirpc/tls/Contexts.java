package io.minirpc.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** What the server's and the client's TLS settings have in common. */
final class Contexts {

  /** The protocols every minirpc connection may use: nothing older than TLS 1.2. */
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private Contexts() {}

  /**
   * Builds a Netty context of these settings with the chosen provider and protocols.
   *
   * @param settings the builder, made by the supplier since making it reads the key material and
   *     may fail too
   * @param what what is set up, for the error message: "the server", "the client"
   * @throws IllegalArgumentException if the key, the certificates or the combination are not usable
   */
  static SslContext build(Supplier<SslContextBuilder> settings, TlsProvider provider, String what) {
    provider.checkAvailable();
    try {
      return settings
          .get()
          .sslProvider(provider == TlsProvider.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK)
          .protocols(PROTOCOLS)
          .build();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "cannot set up TLS for " + what + ": " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable e) {
    String message = e.toString();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }

  static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }
}
