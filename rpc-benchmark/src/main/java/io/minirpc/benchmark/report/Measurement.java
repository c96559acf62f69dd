package io.minirpc.benchmark.report;

/**
 * The figures of one trial: one backend, one call mode, one operation, a number of concurrent
 * callers (calls in flight). Latencies are in microseconds; a figure that was not measured is
 * {@code NaN}.
 *
 * @param mode {@code blocking} or {@code async}
 * @param callsPerSecond calls per second, counted by JMH over the measured iterations
 * @param littleCallsPerSecond callers divided by the mean latency (Little's law), as a check
 * @param wireBytes bytes on the wire per call, both ways, from the separate counting pass
 * @param allocatedBytes bytes the client JVM allocated per call ({@code gc.alloc.rate.norm})
 * @param serverAllocatedBytes bytes the server JVM allocated per call, all its threads, over the
 *     measured iterations
 * @param failure why the trial failed, or {@code null}
 */
public record Measurement(
    String backend,
    String mode,
    String operation,
    int callers,
    double callsPerSecond,
    double littleCallsPerSecond,
    double meanMicros,
    double p50Micros,
    double p99Micros,
    double p999Micros,
    long samples,
    double wireBytes,
    double allocatedBytes,
    double serverAllocatedBytes,
    String failure) {

  /** The call mode of the blocking trials, the runner's default. */
  public static final String BLOCKING = "blocking";

  /** A trial that produced no figures. */
  public static Measurement failed(
      String backend,
      String mode,
      String operation,
      int callers,
      double wireBytes,
      String failure) {
    double none = Double.NaN;
    return new Measurement(
        backend, mode, operation, callers, none, none, none, none, none, none, 0, wireBytes, none,
        none, failure);
  }

  /** The row's name in tables and charts: the backend, and the mode unless it is blocking. */
  public String label() {
    return mode.equals(BLOCKING) ? backend : backend + " " + mode;
  }

  public boolean succeeded() {
    return failure == null;
  }
}
