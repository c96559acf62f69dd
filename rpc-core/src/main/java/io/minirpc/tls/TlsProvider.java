package io.minirpc.tls;

import io.netty.handler.ssl.OpenSsl;

/**
 * The TLS implementation a connection runs on. OpenSSL (BoringSSL, through Netty's
 * netty-tcnative-boringssl-static, which rpc-core brings for Linux on x86_64 and aarch64) is faster
 * and is taken where it loads; the JDK's own implementation everywhere else.
 */
public enum TlsProvider {
  /** BoringSSL through netty-tcnative. */
  OPENSSL,
  /** The JDK's {@code SSLEngine}. */
  JDK;

  /** OpenSSL where its native library loads on this machine, else the JDK. */
  public static TlsProvider best() {
    return OpenSsl.isAvailable() ? OPENSSL : JDK;
  }

  /**
   * Fails if this provider cannot be used on this machine.
   *
   * @throws IllegalArgumentException naming the artifact to add, or the JDK provider to use
   */
  void checkAvailable() {
    if (this == OPENSSL && !OpenSsl.isAvailable()) {
      Throwable why = OpenSsl.unavailabilityCause();
      throw new IllegalArgumentException(
          "provider(OPENSSL): OpenSSL cannot be loaded here ("
              + (why == null ? "unknown reason" : why.getMessage())
              + "); add io.netty:netty-tcnative-boringssl-static with this platform's classifier,"
              + " or use provider(JDK)");
    }
  }
}
