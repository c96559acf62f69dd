package io.minirpc.dashboard;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The entry point of {@code minirpc-dashboard.jar}:
 *
 * <ul>
 *   <li>{@code java -jar minirpc-dashboard.jar --zookeeper HOST:PORT[,...] [--host H] [--port P]}
 *       serves the page of the services registered in that ZooKeeper, their providers and their
 *       health, until the process is stopped. Its calls table is empty: the calls are counted in
 *       the providers' processes, whose meter registries this process cannot read (embed a {@link
 *       Dashboard} in a provider for them).
 *   <li>{@code java -jar minirpc-dashboard.jar demo [--port P] [--seconds N]} runs {@link
 *       DashboardDemo}.
 * </ul>
 *
 * <p>Prints {@code DASHBOARD http://host:port/} once the page is served.
 */
public final class DashboardMain {

  static final String USAGE =
      "usage: java -jar minirpc-dashboard.jar --zookeeper HOST:PORT[,...] [--host H] [--port P]\n"
          + "       java -jar minirpc-dashboard.jar demo [--port P] [--seconds N]";

  private DashboardMain() {}

  public static void main(String[] args) throws Exception {
    // Before the first logger: the jar's slf4j-simple at warnings, ZooKeeper's client at errors
    // (it warns several times a second while an ensemble member is down). A -D of the same name,
    // e.g. -Dorg.slf4j.simpleLogger.defaultLogLevel=info, wins.
    defaultProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    defaultProperty("org.slf4j.simpleLogger.log.org.apache.zookeeper", "error");
    if (args.length > 0 && args[0].equals("demo")) {
      DashboardDemo.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Dashboard dashboard;
    try {
      dashboard = start(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(dashboard::close, "minirpc-dashboard-close"));
    // Serves on the HTTP server's threads until the JVM is stopped.
    new CountDownLatch(1).await();
  }

  /**
   * Builds and starts the dashboard the arguments describe, and prints its address.
   *
   * @throws IllegalArgumentException naming what is wrong with the arguments
   */
  static Dashboard start(String... args) {
    Dashboard.Builder builder = Dashboard.builder();
    String host = "127.0.0.1";
    boolean zooKeeper = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (!flag.equals("--zookeeper") && !flag.equals("--host") && !flag.equals("--port")) {
        throw new IllegalArgumentException("unknown argument " + flag);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--zookeeper" -> {
          builder.zooKeeper(value);
          zooKeeper = true;
        }
        case "--host" -> {
          builder.host(value);
          host = value;
        }
        default -> builder.port(port(value));
      }
    }
    if (!zooKeeper) {
      throw new IllegalArgumentException("--zookeeper is required");
    }
    Dashboard dashboard = builder.build().start();
    System.out.println(DashboardDemo.READY + "http://" + host + ":" + dashboard.port() + "/");
    System.out.flush();
    return dashboard;
  }

  private static void defaultProperty(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  private static int port(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be a number: " + value);
    }
  }
}
