package io.minirpc.soak;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** The latencies of many calls, recorded from any thread, and their percentiles. */
final class Latencies {

  private long[] nanos = new long[1 << 16];
  private int count;

  synchronized void add(long latencyNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = latencyNanos;
  }

  synchronized int count() {
    return count;
  }

  /** The latency below which this fraction of the calls answered, in microseconds. */
  synchronized long percentileMicros(double fraction) {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int index = (int) Math.min(count - 1, Math.ceil(fraction * count) - 1);
    return TimeUnit.NANOSECONDS.toMicros(sorted[Math.max(0, index)]);
  }
}
