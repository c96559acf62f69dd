package io.minirpc.benchmark.wire;

/**
 * Bytes on the wire per call of one operation on one backend, each way, averaged over many calls on
 * a warm connection: protocol framing, headers and payload, without TCP/IP headers.
 */
public record WireBytes(double up, double down) {

  /** Both ways together. */
  public double total() {
    return up + down;
  }
}
