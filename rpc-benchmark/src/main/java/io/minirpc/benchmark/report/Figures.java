package io.minirpc.benchmark.report;

import java.util.Locale;

/** How the reports write figures: whole numbers with thousands separators, {@code -} for none. */
public final class Figures {

  private Figures() {}

  /** A count, rate or size: {@code 42,310}. */
  public static String number(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
  }

  /** A latency in microseconds: one decimal below 100, whole above. */
  public static String micros(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return value < 100
        ? String.format(Locale.ROOT, "%.1f", value)
        : String.format(Locale.ROOT, "%,.0f", value);
  }
}
