package io.minirpc.example;

import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import io.minirpc.server.RpcServer;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a provider of {@link GreetingService} and the benchmark's {@code UserService} until the
 * process is stopped.
 *
 * <p>Usage: {@code java -cp minirpc-example.jar io.minirpc.example.ProviderMain [port
 * [zookeeper]]}: port 0 (the default) lets the system choose; with a ZooKeeper connect string
 * ({@code 127.0.0.1:2181}) the provider registers there for callers to find. Prints {@code PROVIDER
 * READY <port> <rest port>} once it listens: the same services are served over HTTP/JSON by the
 * REST bridge on the second port. On SIGTERM it withdraws from ZooKeeper, lets calls in flight
 * finish, and exits.
 */
public final class ProviderMain {

  /** The line a provider prints once it listens, followed by its port. */
  public static final String READY = "PROVIDER READY ";

  private ProviderMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    ZooKeeperRegistry registry =
        args.length > 1 ? ZooKeeperRegistry.builder().connectString(args[1]).build() : null;
    RpcServer.Builder builder =
        RpcServer.builder()
            .host("127.0.0.1")
            .port(port)
            .addService(new GreetingServiceImpl())
            .addService(new UserServiceImpl())
            .restPort(0);
    if (registry != null) {
      builder.registry(registry);
    }
    RpcServer server = builder.build().start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  if (registry != null) {
                    registry.close();
                  }
                  stopped.countDown();
                },
                "provider-shutdown"));
    System.out.println(READY + server.port() + " " + server.restPort());
    System.out.flush();
    stopped.await();
  }
}
