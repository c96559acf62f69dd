package io.minirpc.example;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Serves a Prometheus registry's meters at {@code GET /metrics}, in Prometheus' text format, on the
 * JDK's own HTTP server, as Micrometer's documentation shows: enough for a demo and for a scraper,
 * with no web framework.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * try (MetricsEndpoint metrics = MetricsEndpoint.start(registry, "127.0.0.1", 9464)) {
 *   ...  // curl -s 127.0.0.1:9464/metrics
 * }
 * }</pre>
 */
public final class MetricsEndpoint implements AutoCloseable {

  private final HttpServer http;

  private MetricsEndpoint(HttpServer http) {
    this.http = http;
  }

  /**
   * Listens on this address and port (0: a free port chosen by the system) until closed.
   *
   * @throws IOException if the port cannot be bound
   */
  public static MetricsEndpoint start(PrometheusMeterRegistry registry, String host, int port)
      throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
    http.createContext(
        "/metrics",
        exchange -> {
          try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
              exchange.getResponseHeaders().set("Allow", "GET");
              exchange.sendResponseHeaders(405, -1);
              return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange
                .getResponseHeaders()
                .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    http.start();
    return new MetricsEndpoint(http);
  }

  /** The port it listens on. */
  public int port() {
    return http.getAddress().getPort();
  }

  /** Stops listening at once. */
  @Override
  public void close() {
    http.stop(0);
  }
}
