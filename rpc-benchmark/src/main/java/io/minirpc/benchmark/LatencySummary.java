package io.minirpc.benchmark;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import org.HdrHistogram.AbstractHistogram;

/**
 * The latency of the measured calls of one asynchronous trial, as the JMH fork hands it to {@link
 * BenchmarkRunner}: a small properties file, in microseconds.
 *
 * @param calls how many calls were timed
 */
record LatencySummary(
    long calls,
    double meanMicros,
    double p50Micros,
    double p99Micros,
    double p999Micros,
    double maxMicros) {

  /** The summary of a histogram of nanoseconds. */
  static LatencySummary of(AbstractHistogram nanos) {
    return new LatencySummary(
        nanos.getTotalCount(),
        nanos.getMean() / 1e3,
        nanos.getValueAtPercentile(50) / 1e3,
        nanos.getValueAtPercentile(99) / 1e3,
        nanos.getValueAtPercentile(99.9) / 1e3,
        nanos.getMaxValue() / 1e3);
  }

  void write(Path file) throws IOException {
    Files.writeString(file, toText(), StandardCharsets.UTF_8);
  }

  static LatencySummary read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the latencies of " + file, e);
    }
  }

  String toText() {
    Properties p = new Properties();
    p.setProperty("calls", Long.toString(calls));
    p.setProperty("meanMicros", Double.toString(meanMicros));
    p.setProperty("p50Micros", Double.toString(p50Micros));
    p.setProperty("p99Micros", Double.toString(p99Micros));
    p.setProperty("p999Micros", Double.toString(p999Micros));
    p.setProperty("maxMicros", Double.toString(maxMicros));
    StringWriter text = new StringWriter();
    try {
      p.store(text, "latency of the measured calls, microseconds");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /**
   * The summary of this text.
   *
   * @throws IllegalArgumentException if a figure is missing or not a number; the message names it
   */
  static LatencySummary parse(String text) {
    Properties p = new Properties();
    try (Reader reader = new StringReader(text)) {
      p.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new LatencySummary(
        (long) figure(p, "calls"),
        figure(p, "meanMicros"),
        figure(p, "p50Micros"),
        figure(p, "p99Micros"),
        figure(p, "p999Micros"),
        figure(p, "maxMicros"));
  }

  private static double figure(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key + " in the latency summary");
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s is not a number in the latency summary: %s", key, value),
          e);
    }
  }
}
