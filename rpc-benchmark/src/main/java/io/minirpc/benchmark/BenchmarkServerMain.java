package io.minirpc.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's server, run in its own JVM: starts one backend's server on a free loopback port,
 * prints {@code ready <port>}, and stops when its standard input closes, so that it never outlives
 * the process that started it.
 *
 * <p>While it runs it answers one request on standard input, a line {@code alloc <id>}, with a line
 * {@code allocated <id> <bytes>} on standard output: the bytes all of this JVM's threads have
 * allocated on the heap since it started, those that have ended included ({@link
 * com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes()}). The figure is read before the
 * answer is formatted, so one request and answer cost the next figure a few hundred bytes. Any
 * other line is ignored.
 *
 * <p>Usage: {@code java -cp minirpc-benchmark.jar io.minirpc.benchmark.BenchmarkServerMain
 * <backend>}, with a backend name of {@link Backend#id()}.
 */
public final class BenchmarkServerMain {

  static final String READY = "ready ";
  static final String ALLOC = "alloc ";
  static final String ALLOCATED = "allocated ";

  private BenchmarkServerMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: BenchmarkServerMain <backend>");
      System.exit(2);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    PrintStream out = System.out;
    try (RunningServer server = Backend.named(args[0]).startServer()) {
      out.println(READY + server.port());
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      // Until the parent closes the pipe or dies.
      while ((line = in.readLine()) != null) {
        if (line.startsWith(ALLOC)) {
          long bytes = threads.getTotalThreadAllocatedBytes();
          out.println(ALLOCATED + line.substring(ALLOC.length()).trim() + " " + bytes);
          out.flush();
        }
      }
    }
  }
}
