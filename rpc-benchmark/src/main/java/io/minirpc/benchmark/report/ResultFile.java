package io.minirpc.benchmark.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The measurements of a run as {@code results.tsv}, for programs to read back: one header line,
 * then one line per trial, columns separated by tabs, figures as Java writes doubles ({@code NaN}
 * for none), an empty failure for a trial that succeeded. Columns are found by their header, so a
 * reader takes files with columns it does not know, and gives {@code NaN} for figures it misses.
 *
 * <pre>
 * backend       mode   operation callers callsPerSecond ... allocatedBytes serverAllocatedBytes failure
 * minirpc-kryo  async  getUser   32      41234.5        ... 1650.2         1210.7
 * </pre>
 */
public final class ResultFile {

  private static final List<Column> COLUMNS =
      List.of(
          new Column("backend", Measurement::backend),
          new Column("mode", Measurement::mode),
          new Column("operation", Measurement::operation),
          new Column("callers", m -> Integer.toString(m.callers())),
          new Column("callsPerSecond", m -> Double.toString(m.callsPerSecond())),
          new Column("littleCallsPerSecond", m -> Double.toString(m.littleCallsPerSecond())),
          new Column("meanMicros", m -> Double.toString(m.meanMicros())),
          new Column("p50Micros", m -> Double.toString(m.p50Micros())),
          new Column("p99Micros", m -> Double.toString(m.p99Micros())),
          new Column("p999Micros", m -> Double.toString(m.p999Micros())),
          new Column("samples", m -> Long.toString(m.samples())),
          new Column("wireBytes", m -> Double.toString(m.wireBytes())),
          new Column("allocatedBytes", m -> Double.toString(m.allocatedBytes())),
          new Column("serverAllocatedBytes", m -> Double.toString(m.serverAllocatedBytes())),
          new Column("failure", m -> m.failure() == null ? "" : m.failure()));

  private ResultFile() {}

  /** The file's text for these measurements. */
  public static String format(List<Measurement> rows) {
    StringBuilder text = new StringBuilder();
    text.append(String.join("\t", COLUMNS.stream().map(Column::name).toList())).append('\n');
    for (Measurement m : rows) {
      List<String> cells = COLUMNS.stream().map(c -> clean(c.value().apply(m))).toList();
      text.append(String.join("\t", cells)).append('\n');
    }
    return text.toString();
  }

  /**
   * The measurements of a file's text.
   *
   * @throws IllegalArgumentException if a line has more cells than the header, or the backend,
   *     operation or callers column is missing, or a figure is not a number; the message says which
   *     line
   */
  public static List<Measurement> parse(String text) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("no header line");
    }
    List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
    for (String required : List.of("backend", "operation", "callers")) {
      if (!header.contains(required)) {
        throw new IllegalArgumentException("no " + required + " column in " + header);
      }
    }
    List<Measurement> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split("\t", -1);
      if (cells.length > header.size()) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + " has " + cells.length + " cells, the header " + header.size());
      }
      Map<String, String> row = new HashMap<>();
      for (int c = 0; c < cells.length; c++) {
        row.put(header.get(c), cells[c]);
      }
      try {
        rows.add(measurement(row));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return rows;
  }

  private static Measurement measurement(Map<String, String> row) {
    String failure = row.getOrDefault("failure", "");
    return new Measurement(
        row.get("backend"),
        row.getOrDefault("mode", Measurement.BLOCKING),
        row.get("operation"),
        Integer.parseInt(row.get("callers")),
        figure(row, "callsPerSecond"),
        figure(row, "littleCallsPerSecond"),
        figure(row, "meanMicros"),
        figure(row, "p50Micros"),
        figure(row, "p99Micros"),
        figure(row, "p999Micros"),
        row.containsKey("samples") ? Long.parseLong(row.get("samples")) : 0,
        figure(row, "wireBytes"),
        figure(row, "allocatedBytes"),
        figure(row, "serverAllocatedBytes"),
        failure.isEmpty() ? null : failure);
  }

  private static double figure(Map<String, String> row, String column) {
    String value = row.get(column);
    return value == null || value.isEmpty() ? Double.NaN : Double.parseDouble(value);
  }

  /** Tabs and line breaks in a failure's message would break the file's lines and columns. */
  private static String clean(String cell) {
    return cell.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }

  private record Column(String name, Function<Measurement, String> value) {}
}
