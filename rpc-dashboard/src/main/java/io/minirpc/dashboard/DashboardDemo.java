package io.minirpc.dashboard;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minirpc.RpcException;
import io.minirpc.client.RpcClient;
import io.minirpc.example.GreetingService;
import io.minirpc.example.GreetingServiceImpl;
import io.minirpc.observability.metrics.ServerMetrics;
import io.minirpc.registry.zookeeper.EmbeddedZooKeeper;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import io.minirpc.server.RpcServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dashboard with something to show, in one JVM: an embedded ZooKeeper, two providers of the
 * demo's {@code GreetingService} registered there and recording their calls with {@code
 * ServerMetrics} into one meter registry, a {@link Dashboard} of both, and a caller that keeps
 * calling them, 20 ms apart (one call in ten fails, with APPLICATION_ERROR).
 *
 * <p>Usage: {@code java -cp ... io.minirpc.dashboard.DashboardDemo [--port P] [--seconds N]}:
 * serves the page on 127.0.0.1 port P (8088 by default, 0 for a free one), prints {@code DASHBOARD
 * http://127.0.0.1:<port>/}, and runs for N seconds, or until stopped when N is not given.
 */
public final class DashboardDemo {

  /** The line the demo prints once the page is served, followed by its URL. */
  public static final String READY = "DASHBOARD ";

  private DashboardDemo() {}

  public static void main(String[] args) throws Exception {
    int port = 8088;
    long seconds = -1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Long.parseLong(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "unknown argument " + args[i] + "; usage: DashboardDemo [--port P] [--seconds N]");
      }
    }
    MeterRegistry meters = new SimpleMeterRegistry();
    // One interceptor for both providers: one set of meters, whose counts are the sum of theirs (a
    // second ServerMetrics on the same registry would find its gauges taken by the first's).
    ServerMetrics metrics = ServerMetrics.of(meters);
    List<RpcServer> providers = new ArrayList<>();
    try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start();
        ZooKeeperRegistry registry =
            ZooKeeperRegistry.builder().connectString(zooKeeper.connectString()).build()) {
      try {
        for (int i = 0; i < 2; i++) {
          providers.add(
              RpcServer.builder()
                  .host("127.0.0.1")
                  .port(0)
                  .addService(new GreetingServiceImpl())
                  .intercept(metrics)
                  .registry(registry)
                  .gracePeriod(Duration.ofSeconds(2))
                  .build()
                  .start());
        }
        try (Dashboard dashboard =
                Dashboard.builder()
                    .zooKeeper(zooKeeper.connectString())
                    .meterRegistry(meters)
                    .port(port)
                    .build()
                    .start();
            RpcClient client =
                RpcClient.builder().registry(registry).timeout(Duration.ofSeconds(5)).build()) {
          System.out.println(READY + "http://127.0.0.1:" + dashboard.port() + "/");
          System.out.flush();
          call(client.stub(GreetingService.class), seconds);
        }
      } finally {
        // Before ZooKeeper stops, so that they can withdraw from it.
        providers.forEach(RpcServer::close);
      }
    }
  }

  /** Calls, 20 ms apart, for this long (forever if negative). */
  private static void call(GreetingService greetings, long seconds) throws InterruptedException {
    ScheduledExecutorService caller = Executors.newSingleThreadScheduledExecutor();
    AtomicLong calls = new AtomicLong();
    caller.scheduleAtFixedRate(
        () -> {
          long n = calls.getAndIncrement();
          try {
            if (n % 10 == 9) {
              greetings.greetStrictly("");
            } else {
              greetings.greet("caller " + n);
            }
          } catch (RpcException e) {
            // The failures are the point: they show on the page as errors.
          }
        },
        0,
        20,
        TimeUnit.MILLISECONDS);
    try {
      // Returns at the end of the run; the scheduled calls go on until then.
      caller.awaitTermination(seconds < 0 ? Long.MAX_VALUE : seconds, TimeUnit.SECONDS);
    } finally {
      caller.shutdownNow();
    }
  }
}
