package io.minirpc.benchmark;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What the server's JVM allocated over the measured iterations of one trial, and the calls made in
 * them, as the JMH fork hands it to {@link BenchmarkRunner}: a small properties file, written by
 * {@link ServerAllocationMeter}'s benchmark at the trial's end to the file named by {@value
 * #FILE_PROPERTY}.
 *
 * @param bytes heap bytes the server's threads allocated, all of them, in the measured iterations
 * @param calls the calls the benchmark's threads made in those iterations
 */
record ServerAllocation(long bytes, long calls) {

  /** System property with the file the fork writes the server's allocation to. */
  static final String FILE_PROPERTY = "minirpc.benchmark.serverAllocationFile";

  /** Bytes per call; {@code NaN} if no call was made. */
  double bytesPerCall() {
    return calls == 0 ? Double.NaN : (double) bytes / calls;
  }

  void write(Path file) throws IOException {
    Files.writeString(file, toText(), StandardCharsets.UTF_8);
  }

  static ServerAllocation read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the server's allocation in " + file, e);
    }
  }

  String toText() {
    Properties p = new Properties();
    p.setProperty("bytes", Long.toString(bytes));
    p.setProperty("calls", Long.toString(calls));
    StringWriter text = new StringWriter();
    try {
      p.store(text, "heap bytes the server allocated in the measured iterations, and their calls");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /**
   * The figures of this text.
   *
   * @throws IllegalArgumentException if a figure is missing or not a whole number; the message
   *     names it
   */
  static ServerAllocation parse(String text) {
    Properties p = new Properties();
    try (Reader reader = new StringReader(text)) {
      p.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ServerAllocation(figure(p, "bytes"), figure(p, "calls"));
  }

  private static long figure(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key + " in the server's allocation");
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + " is not a whole number in the server's allocation: " + value, e);
    }
  }
}
