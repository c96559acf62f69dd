package io.minirpc.tls;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;

/**
 * The TLS implementation a connection runs on: the JDK's own, the default, or OpenSSL (BoringSSL
 * through Netty's netty-tcnative-boringssl-static, which the application adds for its platform).
 */
public enum TlsProvider {
  /** The JDK's {@code SSLEngine}; always available. */
  JDK,
  /** BoringSSL through netty-tcnative, where its native library loads. */
  OPENSSL;

  /** Whether this provider can be used on this machine. */
  public boolean isAvailable() {
    return this == JDK || OpenSsl.isAvailable();
  }

  /**
   * Fails if this provider cannot be used on this machine.
   *
   * @throws IllegalArgumentException naming the artifact to add, or the JDK provider to use
   */
  void checkAvailable() {
    if (!isAvailable()) {
      Throwable why = OpenSsl.unavailabilityCause();
      throw new IllegalArgumentException(
          "provider(OPENSSL): OpenSSL cannot be loaded here ("
              + (why == null ? "unknown reason" : why.getMessage())
              + "); add io.netty:netty-tcnative-boringssl-static with this platform's classifier,"
              + " or use provider(JDK)");
    }
  }

  /** The provider a context was built with. */
  static TlsProvider of(SslContext context) {
    return context instanceof JdkSslContext ? JDK : OPENSSL;
  }
}
