package io.minirpc.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minirpc.client.RpcClient;
import io.minirpc.example.GreetingService;
import io.minirpc.example.GreetingServiceImpl;
import io.minirpc.observability.metrics.ServerMetrics;
import io.minirpc.registry.zookeeper.EmbeddedZooKeeper;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import io.minirpc.server.RpcServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the dashboard tests look at, all real and on 127.0.0.1: an embedded ZooKeeper, two providers
 * of the demo's GreetingService registered there and recording into one meter registry, a caller
 * that finds them through ZooKeeper, and a dashboard on a free port.
 */
final class Cluster implements AutoCloseable {

  static final String GREETING = "demo.Greeting:1";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final EmbeddedZooKeeper zooKeeper;
  final ZooKeeperRegistry registry;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final List<RpcServer> providers = new ArrayList<>();
  final RpcClient client;
  final GreetingService greetings;
  final Dashboard dashboard;

  Cluster() {
    this(builder -> {});
  }

  /** With the dashboard's builder adjusted by {@code settings} before it is built. */
  Cluster(Consumer<Dashboard.Builder> settings) {
    zooKeeper = EmbeddedZooKeeper.start();
    registry = ZooKeeperRegistry.builder().connectString(zooKeeper.connectString()).build();
    ServerMetrics metrics = ServerMetrics.of(meters);
    for (int i = 0; i < 2; i++) {
      providers.add(
          RpcServer.builder()
              .host("127.0.0.1")
              .port(0)
              .addService(new GreetingServiceImpl())
              .intercept(metrics)
              .registry(registry)
              .gracePeriod(Duration.ofMillis(200))
              .build()
              .start());
    }
    client = RpcClient.builder().registry(registry).timeout(Duration.ofSeconds(5)).build();
    greetings = client.stub(GreetingService.class);
    Dashboard.Builder builder =
        Dashboard.builder().zooKeeper(zooKeeper.connectString()).meterRegistry(meters).port(0);
    settings.accept(builder);
    dashboard = builder.build().start();
  }

  /** {@code 127.0.0.1:<port>} of a provider, as it registered. */
  String address(int provider) {
    return "127.0.0.1:" + providers.get(provider).port();
  }

  String url(String path) {
    return "http://127.0.0.1:" + dashboard.port() + path;
  }

  HttpResponse<String> get(String path) {
    return fetch(url(path));
  }

  static HttpResponse<String> fetch(String url) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode getJson(String path) {
    try {
      return JSON.readTree(get(path).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The providers of a service in {@code GET /api/services}, empty if it is not listed. */
  List<JsonNode> providersOf(String serviceKey) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode service : getJson("/api/services").path("services")) {
      if (service.path("key").asText().equals(serviceKey)) {
        service.path("providers").forEach(found::add);
      }
    }
    return found;
  }

  /** A server-side method in {@code GET /api/metrics}, or a missing node. */
  JsonNode serverMethod(String service, String method) {
    for (JsonNode m : getJson("/api/metrics").path("methods")) {
      if (m.path("side").asText().equals("server")
          && m.path("service").asText().equals(service)
          && m.path("method").asText().equals(method)) {
        return m;
      }
    }
    return MissingNode.getInstance();
  }

  @Override
  public void close() {
    dashboard.close();
    client.close();
    providers.forEach(RpcServer::close);
    registry.close();
    zooKeeper.close();
  }
}
