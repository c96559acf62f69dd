package io.minirpc.example;

import io.minirpc.client.RpcClient;
import io.minirpc.registry.zookeeper.EmbeddedZooKeeper;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The demo, end to end: starts an embedded ZooKeeper, two providers in two more JVMs that register
 * there, and a caller in this JVM that finds them through ZooKeeper and calls them, then calls the
 * same services over HTTP/JSON through the first provider's REST bridge, and prints some lines of
 * that provider's Prometheus metrics (its {@code GET /metrics}); then stops everything.
 *
 * <p>Usage: {@code java -jar rpc-example/target/minirpc-example.jar}. Exits 0 when every call went
 * as expected.
 */
public final class DemoMain {

  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    List<Process> providers = new ArrayList<>();
    List<String> restAddresses = new ArrayList<>();
    List<String> metricsAddresses = new ArrayList<>();
    try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start()) {
      System.out.println("zookeeper: embedded, listening on " + zooKeeper.connectString());
      for (int i = 0; i < 2; i++) {
        Process provider = startProvider(zooKeeper.connectString());
        providers.add(provider);
        String[] ports = awaitReady(provider).split(" ");
        restAddresses.add("127.0.0.1:" + ports[1]);
        metricsAddresses.add("127.0.0.1:" + ports[2]);
        System.out.println(
            "provider:  pid "
                + provider.pid()
                + ", minirpc on 127.0.0.1:"
                + ports[0]
                + ", REST on 127.0.0.1:"
                + ports[1]
                + ", metrics at http://127.0.0.1:"
                + ports[2]
                + "/metrics");
      }
      System.out.println("caller:    pid " + ProcessHandle.current().pid());
      try (ZooKeeperRegistry registry =
              ZooKeeperRegistry.builder().connectString(zooKeeper.connectString()).build();
          RpcClient client =
              RpcClient.builder().registry(registry).timeout(Duration.ofSeconds(5)).build()) {
        CallerMain.run(client, System.out);
      }
      RestCaller.run(restAddresses.get(0), System.out);
      printMetrics(metricsAddresses.get(0));
      // Before ZooKeeper stops, so that the providers can withdraw from it as they close.
      stop(providers);
    } finally {
      stop(providers);
    }
    System.out.println("demo finished: providers and ZooKeeper stopped");
  }

  /** Prints some of what Prometheus would scrape from a provider: its calls, bytes, connections. */
  private static void printMetrics(String address) throws Exception {
    String scrape =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + address + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    System.out.println("metrics:   GET http://" + address + "/metrics (some of its lines)");
    scrape
        .lines()
        .filter(
            line ->
                line.startsWith("rpc_server_calls_started_total")
                    || line.startsWith("rpc_server_bytes_")
                    || line.startsWith("rpc_server_connections"))
        .forEach(line -> System.out.println("  " + line));
  }

  /** Stops the providers gracefully (SIGTERM runs their shutdown hooks); does nothing twice. */
  private static void stop(List<Process> providers) throws InterruptedException {
    for (Process provider : providers) {
      provider.destroy();
    }
    for (Process provider : providers) {
      if (!provider.waitFor(15, TimeUnit.SECONDS)) {
        provider.destroyForcibly();
      }
    }
  }

  private static Process startProvider(String zooKeeper) throws IOException {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> command =
        List.of(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            ProviderMain.class.getName(),
            "0",
            zooKeeper);
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Reads the provider's output until it says it is ready; bounded, so it cannot hang the demo. */
  private static String awaitReady(Process provider) throws Exception {
    BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(provider.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(() -> readReadyLine(lines)).get(30, TimeUnit.SECONDS);
  }

  private static String readReadyLine(BufferedReader lines) {
    try {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith(ProviderMain.READY)) {
          return line.substring(ProviderMain.READY.length()).trim();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("a provider process ended before it was ready");
  }
}
