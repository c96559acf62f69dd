package io.minirpc.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The bytes of a PEM file, read once when it is configured, so that a built configuration does not
 * change when the file does.
 */
final class Pem {

  private final byte[] bytes;
  private final String source;

  private Pem(byte[] bytes, String source) {
    this.bytes = bytes;
    this.source = source;
  }

  /**
   * @param what what the file holds, for the error message: "certificate chain", "private key", ...
   */
  static Pem read(Path file, String what) {
    Objects.requireNonNull(file, what);
    try {
      return new Pem(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the " + what + " " + file + ": " + e, e);
    }
  }

  static Pem read(InputStream in, String what) {
    Objects.requireNonNull(in, what);
    try {
      return new Pem(in.readAllBytes(), "stream");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the " + what + ": " + e, e);
    }
  }

  InputStream open() {
    return new ByteArrayInputStream(bytes);
  }

  /** Where the bytes came from: the file, or "stream". */
  String source() {
    return source;
  }
}
