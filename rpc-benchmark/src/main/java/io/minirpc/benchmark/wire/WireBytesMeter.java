package io.minirpc.benchmark.wire;

import io.minirpc.benchmark.Backend;
import io.minirpc.benchmark.Operation;
import io.minirpc.benchmark.RunningServer;
import io.minirpc.benchmark.UserCalls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures {@link WireBytes} outside JMH: starts a backend's server, puts a {@link CountingProxy}
 * in front of it, and makes calls one after another from one caller. Warm-up calls come first, so
 * that connection setup (TCP, HTTP/2 preface and settings) is not charged to the calls; what the
 * counted calls send between them (flow-control window updates, pings) is.
 */
public final class WireBytesMeter {

  private final int warmupCalls;
  private final int countedCalls;

  /** A meter that makes this many uncounted, then counted calls per operation. */
  public WireBytesMeter(int warmupCalls, int countedCalls) {
    if (warmupCalls < 0 || countedCalls < 1) {
      throw new IllegalArgumentException(
          "warmupCalls must be >= 0 and countedCalls >= 1: " + warmupCalls + ", " + countedCalls);
    }
    this.warmupCalls = warmupCalls;
    this.countedCalls = countedCalls;
  }

  /** Bytes per call of each operation, in the order given, on a server in this JVM. */
  public Map<Operation, WireBytes> measure(Backend backend, List<Operation> operations) {
    Map<Operation, WireBytes> bytes = new LinkedHashMap<>();
    try (RunningServer server = backend.startServer();
        CountingProxy proxy = CountingProxy.start(server.port());
        UserCalls calls = backend.connect("127.0.0.1", proxy.port())) {
      long n = 0;
      for (Operation operation : operations) {
        for (int i = 0; i < warmupCalls; i++) {
          operation.call(calls, n++);
        }
        long up = proxy.bytesUp();
        long down = proxy.bytesDown();
        for (int i = 0; i < countedCalls; i++) {
          operation.call(calls, n++);
        }
        bytes.put(
            operation,
            new WireBytes(
                (proxy.bytesUp() - up) / (double) countedCalls,
                (proxy.bytesDown() - down) / (double) countedCalls));
      }
    }
    return bytes;
  }
}
