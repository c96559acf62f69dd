package io.minirpc.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.minirpc.ServiceName;
import io.minirpc.Status;
import io.minirpc.registry.zookeeper.ProviderNode;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * A web page of the services registered in ZooKeeper, their providers and whether each serves, and
 * the live calls of each method from a Micrometer registry: plain HTML and JavaScript served from
 * this jar by the JDK's HTTP server, with the JSON it reads at {@code GET /api/services} and {@code
 * GET /api/metrics} (see docs/DASHBOARD.md).
 *
 * <pre>{@code
 * MeterRegistry meters = new SimpleMeterRegistry();
 * RpcServer server = RpcServer.builder().intercept(ServerMetrics.of(meters))...build().start();
 * try (Dashboard dashboard =
 *     Dashboard.builder().zooKeeper("127.0.0.1:2181").meterRegistry(meters).port(8088).build()) {
 *   dashboard.start();
 *   System.out.println("http://127.0.0.1:" + dashboard.port() + "/");
 *   ...
 * }
 * }</pre>
 *
 * <p>It listens on 127.0.0.1 unless given another host: the page has no authentication. Each
 * provider's state is asked with {@code Health.check(serviceKey)} over the minirpc protocol, by a
 * client per provider address that the dashboard keeps until the provider leaves ZooKeeper. {@link
 * #start()} and {@link #close()} are idempotent; closing also closes a Curator client the dashboard
 * made from a connect string, not one it was given.
 */
public final class Dashboard implements AutoCloseable {

  private static final String RESOURCES = "/io/minirpc/dashboard/";

  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/dashboard.js", "dashboard.js",
          "/dashboard.css", "dashboard.css");

  private static final ObjectWriter JSON = new ObjectMapper().writer();

  private final String host;
  private final int requestedPort;
  private final CuratorFramework curator;
  private final boolean ownsCurator;
  private final String zooKeeperName;
  private final Duration sampleInterval;
  private final ProviderProbe probe;
  private final MethodMetrics metrics;
  private final Map<String, byte[]> files;
  private final Object lock = new Object();
  // One /api/services answer at a time: an answer closes the clients of the providers it did not
  // see, which a concurrent answer that saw a newer provider list may be using.
  private final Object refresh = new Object();

  // Guarded by lock.
  private HttpServer server;
  private ZooKeeperRegistry registry;
  private ExecutorService workers;
  // Not the workers: a request waits for its checks, which must not queue behind it.
  private ExecutorService probes;
  private ScheduledExecutorService sampler;
  private boolean closed;

  private Dashboard(Builder b) {
    this.host = b.host;
    this.requestedPort = b.port;
    this.sampleInterval = b.sampleInterval;
    if (b.curator != null) {
      this.curator = b.curator;
      this.ownsCurator = false;
      this.zooKeeperName = b.curator.getZookeeperClient().getCurrentConnectionString();
    } else {
      this.curator =
          CuratorFrameworkFactory.builder()
              .connectString(b.connectString)
              .sessionTimeoutMs((int) Duration.ofSeconds(30).toMillis())
              .connectionTimeoutMs((int) b.probeTimeout.multipliedBy(3).toMillis())
              .retryPolicy(new ExponentialBackoffRetry(100, 3))
              .build();
      this.ownsCurator = true;
      this.zooKeeperName = b.connectString;
    }
    this.probe = new ProviderProbe(b.probeTimeout);
    this.metrics = b.meterRegistry == null ? null : new MethodMetrics(b.meterRegistry);
    Map<String, byte[]> loaded = new LinkedHashMap<>();
    for (String file : new HashSet<>(FILES.values())) {
      loaded.put(file, resource(file));
    }
    this.files = Map.copyOf(loaded);
  }

  /** A builder of a dashboard on 127.0.0.1, port 8088. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts serving the page; does nothing if started already.
   *
   * @return this
   * @throws UncheckedIOException if the port cannot be bound
   * @throws IllegalStateException if the dashboard is closed
   */
  public Dashboard start() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("dashboard is closed");
      }
      if (server != null) {
        return this;
      }
      if (ownsCurator) {
        curator.start();
      }
      HttpServer http;
      try {
        http = HttpServer.create(new InetSocketAddress(host, requestedPort), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "could not bind the dashboard to " + host + ":" + requestedPort, e);
      }
      registry = ZooKeeperRegistry.builder().client(curator).build();
      workers = Executors.newFixedThreadPool(4, threads("minirpc-dashboard"));
      probes = Executors.newFixedThreadPool(4, threads("minirpc-dashboard-probe"));
      http.setExecutor(workers);
      http.createContext("/", this::serve);
      sampler = Executors.newSingleThreadScheduledExecutor(threads("minirpc-dashboard-sampler"));
      if (metrics != null) {
        metrics.sample();
        long millis = sampleInterval.toMillis();
        sampler.scheduleAtFixedRate(metrics::sample, millis, millis, TimeUnit.MILLISECONDS);
      }
      http.start();
      server = http;
      return this;
    }
  }

  /**
   * The port the page is served on, also when the dashboard was built with port 0.
   *
   * @throws IllegalStateException if it is not started
   */
  public int port() {
    synchronized (lock) {
      if (server == null) {
        throw new IllegalStateException("dashboard is not started");
      }
      return server.getAddress().getPort();
    }
  }

  /** Stops serving, closes the providers' clients and the Curator client it made; idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (server != null) {
        server.stop(0);
        sampler.shutdownNow();
        workers.shutdownNow();
        probes.shutdownNow();
        registry.close();
      }
      probe.close();
      if (ownsCurator) {
        curator.close();
      }
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "Dashboard{"
          + host
          + ":"
          + (server == null ? requestedPort : server.getAddress().getPort())
          + ", zooKeeper "
          + zooKeeperName
          + (closed ? ", closed}" : "}");
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, "text/plain", "only GET\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/api/services" -> sendServices(exchange);
        case "/api/metrics" -> sendJson(exchange, 200, metricsDocument());
        default -> {
          String file = FILES.get(path);
          if (file == null) {
            send(exchange, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
          } else {
            send(exchange, 200, contentType(file), files.get(file));
          }
        }
      }
    }
  }

  private void sendServices(HttpExchange exchange) throws IOException {
    Map<String, Object> document;
    synchronized (refresh) {
      try {
        document = servicesDocument();
      } catch (RuntimeException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("zooKeeper", zooKeeperName);
        error.put("error", Status.fromThrowable(e).description());
        error.put("services", List.of());
        sendJson(exchange, 503, error);
        return;
      }
    }
    sendJson(exchange, 200, document);
  }

  /**
   * The services and providers as ZooKeeper has them now, each provider with its answer to a health
   * check.
   *
   * @throws io.minirpc.RpcException UNAVAILABLE if ZooKeeper cannot be read
   */
  private Map<String, Object> servicesDocument() {
    ZooKeeperRegistry zooKeeper;
    synchronized (lock) {
      zooKeeper = registry;
    }
    Set<String> live = new HashSet<>();
    List<Map<String, Object>> serviceViews = new ArrayList<>();
    List<CompletableFuture<?>> checks = new ArrayList<>();
    for (ServiceName service : zooKeeper.services()) {
      List<Map<String, Object>> providerViews = new ArrayList<>();
      for (ProviderNode provider : zooKeeper.providerNodes(service)) {
        live.add(provider.address());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("address", provider.address());
        view.put("weight", provider.weight());
        view.put("serializers", provider.serializers());
        view.put("startTime", provider.startTime());
        if (provider.host() == null) {
          // providerNodes lists a node it cannot read by its name, every other field empty.
          view.put("error", "node data is not a provider document");
        }
        providerViews.add(view);
        // In parallel: an unreachable provider costs its timeout once, not once per provider.
        checks.add(
            CompletableFuture.supplyAsync(
                    () -> probe.check(provider.address(), service.key()), probes)
                .thenAccept(
                    state -> {
                      // Written here, read after join(): join orders the two.
                      view.put("state", state.state());
                      view.put("status", state.status());
                      view.put("description", state.description());
                    }));
      }
      Map<String, Object> serviceView = new LinkedHashMap<>();
      serviceView.put("key", service.key());
      serviceView.put("name", service.name());
      serviceView.put("version", service.version());
      serviceView.put("providers", providerViews);
      serviceViews.add(serviceView);
    }
    CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).join();
    probe.retain(live);
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("zooKeeper", zooKeeperName);
    document.put("services", serviceViews);
    return document;
  }

  private Map<String, Object> metricsDocument() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("sampleIntervalMillis", sampleInterval.toMillis());
    document.put("recording", metrics != null);
    document.put("methods", metrics == null ? List.of() : metrics.methods());
    return document;
  }

  private static void sendJson(HttpExchange exchange, int code, Object document)
      throws IOException {
    send(exchange, code, "application/json", JSON.writeValueAsBytes(document));
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String contentType(String file) {
    if (file.endsWith(".html")) {
      return "text/html";
    }
    return file.endsWith(".js") ? "text/javascript" : "text/css";
  }

  private static byte[] resource(String file) {
    try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCES + file)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing resource " + RESOURCES + file + " in rpc-dashboard");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Settings of a {@link Dashboard}; ZooKeeper is required, the rest has defaults. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8088;
    private String connectString;
    private CuratorFramework curator;
    private MeterRegistry meterRegistry;
    private Duration probeTimeout = Duration.ofSeconds(1);
    private Duration sampleInterval = Duration.ofSeconds(1);

    private Builder() {}

    /** The address to listen on; 127.0.0.1 by default, since the page has no authentication. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to listen on; 0 picks a free one, which {@link Dashboard#port()} tells. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** The ZooKeeper ensemble the providers register in, read with a Curator client of its own. */
    public Builder zooKeeper(String connectString) {
      this.connectString = Objects.requireNonNull(connectString, "connectString");
      return this;
    }

    /** A started Curator client to read the providers with; the dashboard does not close it. */
    public Builder curator(CuratorFramework curator) {
      this.curator = Objects.requireNonNull(curator, "curator");
      return this;
    }

    /**
     * The registry {@code ServerMetrics} or {@code ClientMetrics} of rpc-observability record into;
     * without one the page shows no calls.
     */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /** How long a provider has to answer its health check; 1 second by default. */
    public Builder probeTimeout(Duration probeTimeout) {
      this.probeTimeout = positive(probeTimeout, "probeTimeout");
      return this;
    }

    /** How often the calls are counted for the calls per second; 1 second by default. */
    public Builder sampleInterval(Duration sampleInterval) {
      this.sampleInterval = positive(sampleInterval, "sampleInterval");
      return this;
    }

    /**
     * A dashboard with these settings, not yet listening.
     *
     * @throws IllegalArgumentException if neither or both of {@link #zooKeeper(String)} and {@link
     *     #curator(CuratorFramework)} were given
     */
    public Dashboard build() {
      if ((connectString == null) == (curator == null)) {
        throw new IllegalArgumentException(
            "give the dashboard one of zooKeeper(connectString) and curator(client)");
      }
      return new Dashboard(this);
    }

    private static Duration positive(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + duration);
      }
      return duration;
    }
  }
}
