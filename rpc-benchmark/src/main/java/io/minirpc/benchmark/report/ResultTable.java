package io.minirpc.benchmark.report;

import java.util.List;
import java.util.Locale;

/**
 * The comparison as a table, one row per trial, in plain text for the terminal and in Markdown for
 * the results folder. "vs ceiling" is the row's calls/s over the bare-Netty ceiling's of the same
 * operation, callers and mode ({@link CeilingRatios}).
 */
public final class ResultTable {

  private static final String[] HEADERS = {
    "backend",
    "op",
    "callers",
    "calls/s",
    "vs ceiling",
    "p50 µs",
    "p99 µs",
    "p99.9 µs",
    "B/call",
    "alloc B/call",
    "server alloc B/call"
  };

  private final List<Measurement> rows;
  private final CeilingRatios ratios;

  public ResultTable(List<Measurement> rows) {
    this.rows = List.copyOf(rows);
    this.ratios = new CeilingRatios(this.rows);
  }

  /** Aligned columns, numbers to the right. */
  public String toText() {
    List<String[]> cells = rows.stream().map(this::cells).toList();
    int[] widths = new int[HEADERS.length];
    for (int i = 0; i < HEADERS.length; i++) {
      widths[i] = HEADERS[i].length();
      for (String[] row : cells) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    appendText(text, HEADERS, widths);
    String previousGroup = null;
    for (int r = 0; r < rows.size(); r++) {
      Measurement m = rows.get(r);
      String group = m.operation() + "/" + m.callers();
      if (previousGroup != null && !group.equals(previousGroup)) {
        text.append('\n');
      }
      previousGroup = group;
      appendText(text, cells.get(r), widths);
    }
    return text.toString();
  }

  /** A GitHub-flavoured Markdown table. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("| ").append(String.join(" | ", HEADERS)).append(" |\n");
    md.append("|");
    for (int i = 0; i < HEADERS.length; i++) {
      md.append(i < 3 ? " --- |" : " ---: |");
    }
    md.append('\n');
    for (Measurement m : rows) {
      md.append("| ").append(String.join(" | ", cells(m))).append(" |\n");
    }
    return md.toString();
  }

  private static void appendText(StringBuilder text, String[] cells, int[] widths) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        text.append("  ");
      }
      String format = i < 2 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
      text.append(String.format(Locale.ROOT, format, cells[i]));
    }
    text.append('\n');
  }

  private String[] cells(Measurement m) {
    if (!m.succeeded()) {
      return new String[] {
        m.label(),
        m.operation(),
        Integer.toString(m.callers()),
        "failed",
        "",
        "",
        "",
        "",
        Figures.number(m.wireBytes()),
        "",
        ""
      };
    }
    return new String[] {
      m.label(),
      m.operation(),
      Integer.toString(m.callers()),
      Figures.number(m.callsPerSecond()),
      ratios.text(m),
      Figures.micros(m.p50Micros()),
      Figures.micros(m.p99Micros()),
      Figures.micros(m.p999Micros()),
      Figures.number(m.wireBytes()),
      Figures.number(m.allocatedBytes()),
      Figures.number(m.serverAllocatedBytes())
    };
  }
}
