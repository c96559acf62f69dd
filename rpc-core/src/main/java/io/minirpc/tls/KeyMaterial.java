package io.minirpc.tls;

import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.file.Path;
import javax.net.ssl.KeyManagerFactory;

/**
 * A side's own certificate chain and private key: PEM (the key in PKCS#8, encrypted or not), or a
 * {@link KeyManagerFactory}.
 */
final class KeyMaterial {

  private final Pem chain;
  private final Pem key;
  private final KeyManagerFactory factory;

  private KeyMaterial(Pem chain, Pem key, KeyManagerFactory factory) {
    this.chain = chain;
    this.key = key;
    this.factory = factory;
  }

  /** A certificate chain and a private key from PEM files, read now. */
  static KeyMaterial pem(Path chain, Path key) {
    return new KeyMaterial(
        Pem.read(chain, "certificate chain"), Pem.read(key, "private key"), null);
  }

  /** A certificate chain and a private key as PEM streams, read now and left open. */
  static KeyMaterial pem(InputStream chain, InputStream key) {
    return new KeyMaterial(
        Pem.read(chain, "certificate chain"), Pem.read(key, "private key"), null);
  }

  static KeyMaterial factory(KeyManagerFactory factory) {
    return new KeyMaterial(null, null, factory);
  }

  SslContextBuilder forServer(String password) {
    return factory != null
        ? SslContextBuilder.forServer(factory)
        : SslContextBuilder.forServer(chain.open(), key.open(), password);
  }

  void addTo(SslContextBuilder builder, String password) {
    if (factory != null) {
      builder.keyManager(factory);
    } else {
      builder.keyManager(chain.open(), key.open(), password);
    }
  }

  /** Where the material came from, for error messages. */
  String source() {
    return factory != null
        ? "the KeyManagerFactory"
        : "certificate chain " + chain.source() + " and private key " + key.source();
  }
}
