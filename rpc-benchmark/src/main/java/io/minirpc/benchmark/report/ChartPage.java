package io.minirpc.benchmark.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The comparison as one self-contained HTML page: for each operation and number of callers, bars of
 * throughput (with each row's ratio to the bare-Netty ceiling's, {@link CeilingRatios}) and of p99
 * latency per backend, drawn as inline SVG (no script, nothing fetched), then the full table.
 */
public final class ChartPage {

  private static final String[] COLORS = {
    "#1f77b4", "#2ca02c", "#17becf", "#9467bd", "#d62728", "#ff7f0e", "#8c564b", "#7f7f7f"
  };
  private static final int LABEL_WIDTH = 190;
  private static final int BAR_WIDTH = 230;
  private static final int VALUE_WIDTH = 130;
  private static final int CHART_WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  private static final int GAP = 30;
  private static final int ROW = 22;
  private static final int TITLE = 24;

  private final List<Measurement> rows;
  private final List<String> backends;
  private final String title;
  private final String notes;
  private final CeilingRatios ratios;

  /**
   * A page of these measurements.
   *
   * @param backends every backend in the run, in order; each keeps its colour in every chart
   * @param notes plain text shown under the title: how the figures were made
   */
  public ChartPage(List<Measurement> rows, List<String> backends, String title, String notes) {
    this.rows = List.copyOf(rows);
    this.backends = List.copyOf(backends);
    this.title = title;
    this.notes = notes;
    this.ratios = new CeilingRatios(this.rows);
  }

  public String toHtml() {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>")
        .append(escape(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:24px;color:#222}")
        .append("h2{font-size:16px;margin:28px 0 6px}")
        .append("pre{background:#f6f6f6;padding:8px;white-space:pre-wrap}")
        .append("table{border-collapse:collapse;font-size:13px}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px}td.n{text-align:right}")
        .append("svg text{font-size:12px}")
        .append("\n</style>\n</head>\n<body>\n<h1>")
        .append(escape(title))
        .append("</h1>\n<pre>")
        .append(escape(notes))
        .append("</pre>\n");
    for (Map.Entry<String, List<Measurement>> group : groups().entrySet()) {
      html.append("<h2>").append(escape(group.getKey())).append("</h2>\n");
      html.append(svg(group.getValue()));
    }
    html.append("<h2>All figures</h2>\n").append(table()).append("</body>\n</html>\n");
    return html.toString();
  }

  /** Rows by operation and callers, in the order they first appear. */
  private Map<String, List<Measurement>> groups() {
    Map<String, List<Measurement>> groups = new LinkedHashMap<>();
    for (Measurement m : rows) {
      String key = m.operation() + ", " + m.callers() + (m.callers() == 1 ? " caller" : " callers");
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
    }
    return groups;
  }

  private String svg(List<Measurement> group) {
    int height = TITLE + group.size() * ROW + 8;
    int width = 2 * CHART_WIDTH + GAP;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">\n",
            width,
            height));
    bars(
        svg,
        group,
        0,
        "throughput, calls/s (longer is better; x: of the ceiling)",
        Measurement::callsPerSecond,
        true);
    bars(
        svg,
        group,
        CHART_WIDTH + GAP,
        "p99 latency, µs (shorter is better)",
        Measurement::p99Micros,
        false);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private void bars(
      StringBuilder svg,
      List<Measurement> group,
      int x,
      String caption,
      ToDoubleFunction<Measurement> value,
      boolean withRatio) {
    double max = group.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).max().orElse(1);
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"16\" font-weight=\"bold\">%s</text>\n",
            x,
            escape(caption)));
    for (int i = 0; i < group.size(); i++) {
      Measurement m = group.get(i);
      int y = TITLE + i * ROW;
      double v = value.applyAsDouble(m);
      svg.append(
          String.format(
              Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>\n", x, y + 15, escape(m.label())));
      if (Double.isNaN(v)) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" fill=\"#d62728\">failed</text>\n",
                x + LABEL_WIDTH,
                y + 15));
        continue;
      }
      int length = max > 0 ? (int) Math.max(1, Math.round(v / max * BAR_WIDTH)) : 1;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"%s><title>%s</title></rect>\n",
              x + LABEL_WIDTH,
              y + 3,
              length,
              ROW - 6,
              color(m.backend()),
              // A backend's asynchronous rows keep its colour, lighter.
              m.mode().equals(Measurement.BLOCKING) ? "" : " fill-opacity=\"0.55\"",
              escape(m.label() + ": " + Figures.number(v))));
      double ratio = withRatio ? ratios.of(m) : Double.NaN;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\">%s</text>\n",
              x + LABEL_WIDTH + length + 6,
              y + 15,
              Figures.number(v)
                  + (Double.isNaN(ratio) ? "" : " (" + Comparison.ratioText(ratio) + "x)")));
    }
  }

  private String table() {
    StringBuilder html = new StringBuilder("<table>\n<tr>");
    for (String header :
        List.of(
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
            "server alloc B/call")) {
      html.append("<th>").append(escape(header)).append("</th>");
    }
    html.append("</tr>\n");
    for (Measurement m : rows) {
      html.append("<tr><td>")
          .append(escape(m.label()))
          .append("</td><td>")
          .append(escape(m.operation()))
          .append("</td>");
      cell(html, Integer.toString(m.callers()));
      cell(html, m.succeeded() ? Figures.number(m.callsPerSecond()) : "failed");
      cell(html, ratios.text(m));
      cell(html, Figures.micros(m.p50Micros()));
      cell(html, Figures.micros(m.p99Micros()));
      cell(html, Figures.micros(m.p999Micros()));
      cell(html, Figures.number(m.wireBytes()));
      cell(html, Figures.number(m.allocatedBytes()));
      cell(html, Figures.number(m.serverAllocatedBytes()));
      html.append("</tr>\n");
    }
    return html.append("</table>\n").toString();
  }

  private static void cell(StringBuilder html, String text) {
    html.append("<td class=\"n\">").append(escape(text)).append("</td>");
  }

  private String color(String backend) {
    int index = backends.indexOf(backend);
    return COLORS[Math.floorMod(index, COLORS.length)];
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
