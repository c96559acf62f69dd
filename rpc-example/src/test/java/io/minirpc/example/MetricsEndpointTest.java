package io.minirpc.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minirpc.client.RpcClient;
import io.minirpc.observability.metrics.ServerMetrics;
import io.minirpc.server.RpcServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A provider's meters scraped over a real socket after a real call, as Prometheus would scrape
 * them: the call's timer and counters, and the port's bytes and connections, with their tags.
 */
class MetricsEndpointTest {

  @Test
  void scrapeAfterACallShowsItsTimerAndThePortsBytesAndConnections() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServerMetrics metrics = ServerMetrics.of(registry);
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .addService(new GreetingServiceImpl())
                .intercept(metrics)
                .build()
                .start();
        MetricsEndpoint endpoint = MetricsEndpoint.start(registry, "127.0.0.1", 0);
        RpcClient client = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build()) {
      metrics.bindTransport(server.transportStats());
      assertThat(client.stub(GreetingService.class).greet("Ada")).startsWith("Hello, Ada!");

      HttpResponse<String> scrape =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      List<String> lines = Arrays.asList(scrape.body().split("\n"));
      assertThat(line(lines, "rpc_server_duration_seconds_count{"))
          .contains(
              "rpc_method=\"greet\"",
              "rpc_minirpc_status_code=\"OK\"",
              "rpc_service=\"demo.Greeting:1\"",
              "rpc_system=\"minirpc\"")
          .endsWith(" 1");
      assertThat(line(lines, "rpc_server_calls_started_total{"))
          .contains("rpc_method=\"greet\"")
          .endsWith(" 1.0");
      assertThat(line(lines, "rpc_server_connections{"))
          .contains("network_protocol_name=\"minirpc\"")
          .endsWith(" 1.0");
      String received = line(lines, "rpc_server_bytes_received_bytes_total{");
      assertThat(received).contains("network_protocol_name=\"minirpc\"");
      assertThat(Double.parseDouble(received.substring(received.lastIndexOf(' ') + 1)))
          .isEqualTo((double) server.transportStats().bytesReceived())
          .isPositive();
    }
  }

  private static String line(List<String> lines, String prefix) {
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line starts with " + prefix + " in " + lines));
  }
}
