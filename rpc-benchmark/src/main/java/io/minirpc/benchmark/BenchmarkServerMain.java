package io.minirpc.benchmark;

import java.io.IOException;

/**
 * The benchmark's server, run in its own JVM: starts one backend's server on a free loopback port,
 * prints {@code ready <port>}, and stops when its standard input closes, so that it never outlives
 * the process that started it.
 *
 * <p>Usage: {@code java -cp minirpc-benchmark.jar io.minirpc.benchmark.BenchmarkServerMain
 * <backend>}, with a backend name of {@link Backend#id()}.
 */
public final class BenchmarkServerMain {

  static final String READY = "ready ";

  private BenchmarkServerMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: BenchmarkServerMain <backend>");
      System.exit(2);
    }
    try (RunningServer server = Backend.named(args[0]).startServer()) {
      System.out.println(READY + server.port());
      System.out.flush();
      while (System.in.read() != -1) {
        // Drain until the parent closes the pipe or dies.
      }
    }
  }
}
