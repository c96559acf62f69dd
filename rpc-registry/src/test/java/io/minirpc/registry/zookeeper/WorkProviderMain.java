package io.minirpc.registry.zookeeper;

import io.minirpc.server.RpcServer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Runs a {@link WorkService} provider registered in ZooKeeper, in a process of its own, for tests
 * that kill it: see {@link ProviderProcess}.
 *
 * <p>Arguments: the provider's name, the ZooKeeper connect string, and the session timeout in ms.
 * Prints {@value #READY} and its port once it listens and is registered. It exits when its standard
 * input ends, so that it never outlives the test that started it, even one that died.
 */
public final class WorkProviderMain {

  /** The line printed once the provider is ready, followed by its port. */
  static final String READY = "READY ";

  private WorkProviderMain() {}

  public static void main(String[] args) throws IOException {
    String name = args[0];
    ZooKeeperRegistry registry =
        ZooKeeperRegistry.builder()
            .connectString(args[1])
            .sessionTimeout(Duration.ofMillis(Long.parseLong(args[2])))
            .connectionTimeout(TestZooKeeper.CONNECTION_TIMEOUT)
            .build();
    RpcServer server =
        RpcServer.builder()
            .host("127.0.0.1")
            .registry(registry)
            .workerThreads(32)
            .addService(WorkService.class, new SleepingWork(name, System.out))
            .build()
            .start();
    System.out.println(READY + server.port());
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // Nothing is sent on standard input; its end means the test is over.
    }
    server.close();
    registry.close();
    System.exit(0);
  }
}
