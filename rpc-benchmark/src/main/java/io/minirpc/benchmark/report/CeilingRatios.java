package io.minirpc.benchmark.report;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each row's calls/s as a fraction of the bare-Netty ceiling's ({@value #CEILING}) in the same
 * operation, number of callers and mode: how close a backend gets to what the wire and the machine
 * allow in the same run. A blocking row is measured against the ceiling's blocking row, an
 * asynchronous one against its asynchronous row.
 */
public final class CeilingRatios {

  /** The backend id of the ceiling rows. */
  public static final String CEILING = "netty-ceiling";

  private final Map<String, Double> ceilings = new HashMap<>();

  /** The ratios among these rows; without a ceiling row of a group, that group's are none. */
  public CeilingRatios(List<Measurement> rows) {
    for (Measurement m : rows) {
      if (m.backend().equals(CEILING) && m.succeeded()) {
        ceilings.put(key(m), m.callsPerSecond());
      }
    }
  }

  /** The row's calls/s over the ceiling's: {@code NaN} if either is missing. */
  public double of(Measurement m) {
    Double ceiling = ceilings.get(key(m));
    return ceiling == null || !m.succeeded()
        ? Double.NaN
        : Comparison.ratio(ceiling, m.callsPerSecond());
  }

  /** The ratio with two decimals, {@code -} for none: {@code 0.31}. */
  public String text(Measurement m) {
    return Comparison.ratioText(of(m));
  }

  private static String key(Measurement m) {
    return m.operation() + "/" + m.callers() + "/" + m.mode();
  }
}
