package io.minirpc.example;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.observability.metrics.ServerMetrics;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import io.minirpc.server.RpcServer;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a provider of {@link GreetingService} and the benchmark's {@code UserService} until the
 * process is stopped.
 *
 * <p>Usage: {@code java -cp minirpc-example.jar io.minirpc.example.ProviderMain [port [zookeeper
 * [metrics port]]]}: port 0 (the default) lets the system choose; with a ZooKeeper connect string
 * ({@code 127.0.0.1:2181}; {@code -} for none) the provider registers there for callers to find.
 * Prints {@code PROVIDER READY <port> <rest port> <metrics port>} once it listens: the same
 * services are served over HTTP/JSON by the REST bridge on the second port, and the provider's
 * meters (its calls, and the bytes and connections of both ports) at {@code GET /metrics} for
 * Prometheus on the third (0, a free one, when not given). On SIGTERM it withdraws from ZooKeeper,
 * lets calls in flight finish, and exits.
 */
public final class ProviderMain {

  /** The line a provider prints once it listens, followed by its port. */
  public static final String READY = "PROVIDER READY ";

  private ProviderMain() {}

  public static void main(String[] args) throws InterruptedException, IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    ZooKeeperRegistry registry =
        args.length > 1 && !args[1].equals("-")
            ? ZooKeeperRegistry.builder().connectString(args[1]).build()
            : null;
    int metricsPort = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServerMetrics metrics = ServerMetrics.of(meters);
    RpcServer.Builder builder =
        RpcServer.builder()
            .host("127.0.0.1")
            .port(port)
            .addService(new GreetingServiceImpl())
            .addService(new UserServiceImpl())
            .restPort(0)
            .intercept(metrics);
    if (registry != null) {
      builder.registry(registry);
    }
    RpcServer server = builder.build().start();
    metrics.bindTransport(server.transportStats()).bindTransport(server.restTransportStats());
    MetricsEndpoint endpoint = MetricsEndpoint.start(meters, "127.0.0.1", metricsPort);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  endpoint.close();
                  if (registry != null) {
                    registry.close();
                  }
                  stopped.countDown();
                },
                "provider-shutdown"));
    System.out.println(READY + server.port() + " " + server.restPort() + " " + endpoint.port());
    System.out.flush();
    stopped.await();
  }
}
