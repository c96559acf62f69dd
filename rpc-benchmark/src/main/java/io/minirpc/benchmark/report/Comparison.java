package io.minirpc.benchmark.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two builds' figures of the same trials side by side, with the ratio candidate / base of each:
 * calls/s (above 1 is better), p99 latency and allocation per call in the client and in the server
 * JVM (below 1 is better). One row per trial, in plain text for the terminal and in Markdown.
 */
public final class Comparison {

  private static final String[] HEADERS = {
    "backend",
    "op",
    "callers",
    "calls/s A",
    "calls/s B",
    "B/A",
    "p99 µs A",
    "p99 µs B",
    "B/A",
    "alloc B/call A",
    "alloc B/call B",
    "B/A",
    "server alloc B/call A",
    "server alloc B/call B",
    "B/A"
  };

  /** One trial: the base build's figures (A) and the candidate's (B). */
  public record Pair(Measurement base, Measurement candidate) {}

  private final List<Pair> pairs;

  public Comparison(List<Pair> pairs) {
    this.pairs = List.copyOf(pairs);
  }

  /** {@code candidate / base}: {@code NaN} if either is missing or the base is 0. */
  public static double ratio(double base, double candidate) {
    return base == 0 ? Double.NaN : candidate / base;
  }

  /** A ratio with two decimals: {@code 1.07}; {@code -} for none. */
  static String ratioText(double ratio) {
    return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
  }

  /** Aligned columns, numbers to the right. */
  public String toText() {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS);
    pairs.forEach(p -> rows.add(cells(p)));
    int[] widths = new int[HEADERS.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        if (i > 0) {
          text.append("  ");
        }
        String format = i < 2 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
        text.append(String.format(Locale.ROOT, format, row[i]));
      }
      text.append('\n');
    }
    return text.toString();
  }

  /** A GitHub-flavoured Markdown table. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("| ").append(String.join(" | ", HEADERS)).append(" |\n|");
    for (int i = 0; i < HEADERS.length; i++) {
      md.append(i < 2 ? " --- |" : " ---: |");
    }
    md.append('\n');
    for (Pair p : pairs) {
      md.append("| ").append(String.join(" | ", cells(p))).append(" |\n");
    }
    return md.toString();
  }

  private static String[] cells(Pair p) {
    Measurement a = p.base();
    Measurement b = p.candidate();
    return new String[] {
      a.label(),
      a.operation(),
      Integer.toString(a.callers()),
      a.succeeded() ? Figures.number(a.callsPerSecond()) : "failed",
      b.succeeded() ? Figures.number(b.callsPerSecond()) : "failed",
      ratioText(ratio(a.callsPerSecond(), b.callsPerSecond())),
      Figures.micros(a.p99Micros()),
      Figures.micros(b.p99Micros()),
      ratioText(ratio(a.p99Micros(), b.p99Micros())),
      Figures.number(a.allocatedBytes()),
      Figures.number(b.allocatedBytes()),
      ratioText(ratio(a.allocatedBytes(), b.allocatedBytes())),
      Figures.number(a.serverAllocatedBytes()),
      Figures.number(b.serverAllocatedBytes()),
      ratioText(ratio(a.serverAllocatedBytes(), b.serverAllocatedBytes()))
    };
  }
}
