package io.minirpc.example.scaleout;

import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import io.minirpc.server.RpcServer;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;

/**
 * A provider of {@link NodeNameService} for the scale-out test ({@code scripts/scaleout-netns.sh}),
 * run in a network namespace of its own until the process is stopped.
 *
 * <p>Usage: {@code java -cp minirpc-example.jar io.minirpc.example.scaleout.ScaleOutProvider --name
 * p1 --host 10.213.0.21 --port 7070 --zookeeper 10.213.0.11:2181,10.213.0.12:2181,10.213.0.13:2181
 * [--session-timeout-ms 8000]}. It listens on that address only and advertises it in ZooKeeper,
 * with a short session so that its node vanishes soon after the process dies. Prints {@code EVENT
 * <epoch ms> zookeeper <state>} at each change of its ZooKeeper connection and {@code PROVIDER
 * READY <name> <host:port>} once it is registered.
 */
public final class ScaleOutProvider {

  /** The line the provider prints once it listens and is registered. */
  public static final String READY = "PROVIDER READY ";

  private ScaleOutProvider() {}

  public static void main(String[] args) throws InterruptedException {
    Arguments arguments;
    try {
      arguments =
          Arguments.parse(args, Set.of("name", "host", "port", "zookeeper", "session-timeout-ms"));
      arguments.required("name");
      arguments.required("host");
      arguments.required("zookeeper");
    } catch (IllegalArgumentException e) {
      System.err.println(
          e.getMessage()
              + "\nusage: ScaleOutProvider --name NAME --host IP --port PORT --zookeeper"
              + " HOST:PORT[,HOST:PORT...] [--session-timeout-ms MS]");
      System.exit(2);
      return;
    }
    String name = arguments.required("name");
    String host = arguments.required("host");
    EventLog events = new EventLog(System.out);
    CuratorFramework curator =
        Curators.start(
            arguments.required("zookeeper"),
            arguments.millis("session-timeout-ms", Curators.DEFAULT_SESSION_TIMEOUT),
            events,
            (at, state) -> {});
    ZooKeeperRegistry registry = ZooKeeperRegistry.builder().client(curator).build();
    RpcServer server;
    try {
      server =
          RpcServer.builder()
              .host(host)
              .advertisedHost(host)
              .port(arguments.integer("port", 7070))
              .ioThreads(1)
              .workerThreads(2)
              .registry(registry)
              .addService(new NamedNode(name))
              .build()
              .start();
    } catch (RuntimeException e) {
      // Not listening or not registered: of no use to the test, which sees the exit.
      e.printStackTrace();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  registry.close();
                  curator.close();
                  stopped.countDown();
                },
                "provider-shutdown"));
    events.line(READY + name + " " + host + ":" + server.port());
    stopped.await();
  }
}
