package io.minirpc.tls;

import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.file.Path;
import javax.net.ssl.TrustManagerFactory;

/** The certificates of the CAs a side trusts to sign its peer's certificate. */
final class TrustMaterial {

  private final Pem certificates;
  private final TrustManagerFactory factory;

  private TrustMaterial(Pem certificates, TrustManagerFactory factory) {
    this.certificates = certificates;
    this.factory = factory;
  }

  /** CA certificates from a PEM file, read now. */
  static TrustMaterial pem(Path certificates) {
    return new TrustMaterial(Pem.read(certificates, "trusted certificates"), null);
  }

  /** CA certificates as a PEM stream, read now and left open. */
  static TrustMaterial pem(InputStream certificates) {
    return new TrustMaterial(Pem.read(certificates, "trusted certificates"), null);
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
