package io.minirpc.tls;

import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.TrustManagerFactory;

/** The certificates of the CAs a side trusts to sign its peer's certificate. */
final class TrustMaterial {

  private final Pem certificates;
  private final TrustManagerFactory factory;

  private TrustMaterial(Pem certificates, TrustManagerFactory factory) {
    this.certificates = certificates;
    this.factory = factory;
  }

  static TrustMaterial pem(Pem certificates) {
    return new TrustMaterial(certificates, null);
  }

  static TrustMaterial factory(TrustManagerFactory factory) {
    return new TrustMaterial(null, factory);
  }

  void addTo(SslContextBuilder builder) {
    if (factory != null) {
      builder.trustManager(factory);
    } else {
      builder.trustManager(certificates.open());
    }
  }

  String source() {
    return factory != null
        ? "the TrustManagerFactory"
        : "trusted certificates " + certificates.source();
  }
}
