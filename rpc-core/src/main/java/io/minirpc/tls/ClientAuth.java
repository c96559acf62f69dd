package io.minirpc.tls;

/** Whether a TLS server asks its clients for a certificate: mutual TLS. */
public enum ClientAuth {
  /** No client certificate is asked for. */
  NONE,
  /**
   * A client certificate is asked for and, when one is sent, must be signed by a trusted CA; a
   * client that sends none is served too.
   */
  OPTIONAL,
  /** Every client must present a certificate signed by a trusted CA, or it is refused. */
  REQUIRE
}
