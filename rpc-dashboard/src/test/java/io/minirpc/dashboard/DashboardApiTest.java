package io.minirpc.dashboard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minirpc.Provider;
import io.minirpc.RpcException;
import io.minirpc.ServiceName;
import io.minirpc.example.GreetingService;
import io.minirpc.example.GreetingServiceImpl;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/services} and {@code GET /api/metrics} of a dashboard of real providers. */
class DashboardApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private Cluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void servicesListBothProvidersServingWithTheirDocuments() {
    cluster = new Cluster();

    List<JsonNode> providers = cluster.providersOf(Cluster.GREETING);

    assertThat(providers)
        .extracting(p -> p.path("address").asText())
        .containsExactlyInAnyOrder(cluster.address(0), cluster.address(1));
    for (JsonNode provider : providers) {
      assertThat(provider.path("state").asText()).isEqualTo("SERVING");
      assertThat(provider.path("status").asText()).isEqualTo("OK");
      assertThat(provider.path("weight").asInt()).isEqualTo(Provider.DEFAULT_WEIGHT);
      assertThat(provider.path("serializers")).extracting(JsonNode::asText).contains("kryo");
      assertThat(provider.path("startTime").asLong()).isPositive();
    }
    JsonNode document = cluster.getJson("/api/services");
    assertThat(document.path("zooKeeper").asText()).isEqualTo(cluster.zooKeeper.connectString());
    JsonNode service = document.path("services").get(0);
    assertThat(service.path("name").asText()).isEqualTo("demo.Greeting");
    assertThat(service.path("version").asText()).isEqualTo("1");
  }

  @Test
  void closedProviderLeavesTheList() {
    cluster = new Cluster();
    String remaining = cluster.address(0);

    cluster.providers.get(1).close();

    Await.until(
        WAIT,
        "only " + remaining + " listed",
        () ->
            cluster.providersOf(Cluster.GREETING).stream()
                .map(p -> p.path("address").asText())
                .toList()
                .equals(List.of(remaining)));
    assertThat(cluster.providersOf(Cluster.GREETING).get(0).path("state").asText())
        .isEqualTo("SERVING");
  }

  @Test
  void providerWhoseServiceIsSetNotServingShowsNotServing() {
    cluster = new Cluster();

    cluster.providers.get(1).health().setStatus(GreetingService.class, ServingStatus.NOT_SERVING);

    assertThat(states())
        .containsEntry(cluster.address(0), "SERVING")
        .containsEntry(cluster.address(1), "NOT_SERVING");
    assertThat(provider(cluster.address(1)).path("description").asText())
        .isEqualTo("demo.Greeting:1 is NOT_SERVING");
  }

  @Test
  void providerWhoseServerIsSetNotServingShowsNotServingSayingSo() {
    cluster = new Cluster();

    cluster.providers.get(0).health().setStatus(Health.SERVER, ServingStatus.NOT_SERVING);

    JsonNode provider = provider(cluster.address(0));
    assertThat(provider.path("state").asText()).isEqualTo("NOT_SERVING");
    assertThat(provider.path("description").asText()).isEqualTo("the server is NOT_SERVING");
    assertThat(states()).containsEntry(cluster.address(1), "SERVING");
  }

  @Test
  void registeredProviderThatNobodyListensOnShowsUnreachable() throws IOException {
    cluster = new Cluster(builder -> builder.probeTimeout(Duration.ofMillis(500)));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // A provider that registered and then died without its session ending: nothing listens there.
    cluster.registry.register(
        ServiceName.of(GreetingService.class), new Provider("127.0.0.1", port, 100));

    JsonNode dead = provider("127.0.0.1:" + port);

    assertThat(dead.path("state").asText()).isEqualTo("UNREACHABLE");
    // Refused at once (UNAVAILABLE), or, on a loaded machine, not connected within the timeout.
    assertThat(dead.path("status").asText()).isIn("UNAVAILABLE", "DEADLINE_EXCEEDED");
    assertThat(dead.path("description").asText()).isNotEmpty();
    assertThat(states())
        .containsEntry(cluster.address(0), "SERVING")
        .containsEntry(cluster.address(1), "SERVING");
  }

  @Test
  void nodeWhoseDataIsNotAProviderDocumentIsListedWithAnError() throws Exception {
    cluster = new Cluster(builder -> builder.probeTimeout(Duration.ofMillis(500)));
    try (CuratorFramework curator =
        CuratorFrameworkFactory.newClient(
            cluster.zooKeeper.connectString(), new ExponentialBackoffRetry(100, 3))) {
      curator.start();
      // Written by something that is not a minirpc registry, in the providers' folder.
      curator
          .create()
          .forPath("/minirpc/demo.Greeting/1/providers/127.0.0.1:1", "not json".getBytes(UTF_8));

      JsonNode odd = provider("127.0.0.1:1");

      assertThat(odd.path("error").asText()).isEqualTo("node data is not a provider document");
      assertThat(odd.path("state").asText()).isEqualTo("UNREACHABLE");
      assertThat(states())
          .containsEntry(cluster.address(0), "SERVING")
          .containsEntry(cluster.address(1), "SERVING");
    }
  }

  @Test
  void providersThatJoinWhileAnswersOverlapAreShownServing() throws Exception {
    cluster = new Cluster();
    Set<String> joined = ConcurrentHashMap.newKeySet();
    List<String> unreachable = new CopyOnWriteArrayList<>();
    AtomicBoolean joining = new AtomicBoolean(true);
    ExecutorService readers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> reads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        reads.add(
            readers.submit(
                () -> {
                  // One more round after the last join, so that every joiner is read at least once.
                  boolean last = false;
                  while (!last) {
                    last = !joining.get();
                    for (JsonNode p : cluster.providersOf(Cluster.GREETING)) {
                      String address = p.path("address").asText();
                      // A joiner serves from before it registers until the end of the test.
                      if (joined.contains(address) && !p.path("state").asText().equals("SERVING")) {
                        unreachable.add(address + " " + p);
                      }
                    }
                  }
                }));
      }
      // Each join changes the list between one answer and the next: an answer that had not seen
      // the joiner must not close the client another answer is checking it with.
      for (int i = 0; i < 6; i++) {
        RpcServer joiner =
            RpcServer.builder()
                .host("127.0.0.1")
                .port(0)
                .addService(new GreetingServiceImpl())
                .build()
                .start();
        cluster.providers.add(joiner);
        String address = "127.0.0.1:" + joiner.port();
        joined.add(address);
        cluster.registry.register(
            ServiceName.of(GreetingService.class),
            new Provider("127.0.0.1", joiner.port(), Provider.DEFAULT_WEIGHT));
        Await.until(
            WAIT,
            address + " listed",
            () ->
                cluster.providersOf(Cluster.GREETING).stream()
                    .anyMatch(p -> p.path("address").asText().equals(address)));
      }
      joining.set(false);
      for (Future<?> read : reads) {
        read.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      joining.set(false);
      readers.shutdownNow();
    }

    assertThat(unreachable).isEmpty();
  }

  @Test
  void metricsCountCallsAndErrorsPerMethod() {
    cluster = new Cluster();

    for (int i = 0; i < 7; i++) {
      cluster.greetings.greet("caller " + i);
    }
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> cluster.greetings.greetStrictly(""))
          .isInstanceOf(RpcException.class);
    }

    // A call is recorded as it completes on the server, which may be just after its answer left.
    Await.until(
        WAIT,
        "10 calls recorded",
        () ->
            cluster.serverMethod(Cluster.GREETING, "greet").path("calls").asLong() == 7
                && cluster.serverMethod(Cluster.GREETING, "greetStrictly").path("calls").asLong()
                    == 3);
    JsonNode greet = cluster.serverMethod(Cluster.GREETING, "greet");
    assertThat(greet.path("errors").asLong()).isZero();
    assertThat(greet.path("active").asLong()).isZero();
    assertThat(greet.path("p99Millis").asDouble()).isPositive();
    assertThat(greet.path("callsByStatus").path("OK").asLong()).isEqualTo(7);
    JsonNode strict = cluster.serverMethod(Cluster.GREETING, "greetStrictly");
    assertThat(strict.path("errors").asLong()).isEqualTo(3);
    assertThat(strict.path("callsByStatus").path("APPLICATION_ERROR").asLong()).isEqualTo(3);
    assertThat(strict.path("p99Millis").asDouble()).isPositive();
  }

  @Test
  void callsPerSecondRiseWhileCallsAreMadeAndFallWhenTheyStop() {
    cluster = new Cluster(builder -> builder.sampleInterval(Duration.ofMillis(100)));

    Await.until(
        WAIT,
        "greet's calls per second above 0 while calling",
        () -> {
          cluster.greetings.greet("someone");
          return cluster.serverMethod(Cluster.GREETING, "greet").path("callsPerSecond").asDouble()
              > 0;
        });
    Await.until(
        WAIT,
        "greet's calls per second back to 0 once calls stopped",
        () ->
            cluster.serverMethod(Cluster.GREETING, "greet").path("callsPerSecond").asDouble() == 0);
  }

  @Test
  void metricsSayWhenNoRegistryWasGiven() {
    cluster = new Cluster();
    try (Dashboard bare =
        Dashboard.builder().zooKeeper(cluster.zooKeeper.connectString()).port(0).build().start()) {

      String body = Cluster.fetch("http://127.0.0.1:" + bare.port() + "/api/metrics").body();

      assertThat(body).contains("\"recording\":false").contains("\"methods\":[]");
      assertThat(cluster.get("/api/metrics").body()).contains("\"recording\":true");
    }
  }

  @Test
  void pageAndItsFilesAreServedFromTheJar() {
    cluster = new Cluster();

    HttpResponse<String> page = cluster.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script src=\"dashboard.js\">");
    HttpResponse<String> script = cluster.get("/dashboard.js");
    assertThat(script.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(script.body()).contains("api/services").contains("api/metrics");
    assertThat(cluster.get("/dashboard.css").statusCode()).isEqualTo(200);
    assertThat(cluster.get("/nothing-here").statusCode()).isEqualTo(404);
  }

  @Test
  void servicesAnswer503NamingTheFailureWhenZooKeeperIsDown() {
    cluster = new Cluster(builder -> builder.probeTimeout(Duration.ofMillis(300)));

    cluster.zooKeeper.close();

    HttpResponse<String> response = cluster.get("/api/services");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("could not read the services under /minirpc");
  }

  @Test
  void givenCuratorClientIsReadAndLeftOpen() throws Exception {
    cluster = new Cluster();
    try (CuratorFramework curator =
        CuratorFrameworkFactory.newClient(
            cluster.zooKeeper.connectString(), new ExponentialBackoffRetry(100, 3))) {
      curator.start();
      try (Dashboard dashboard = Dashboard.builder().curator(curator).port(0).build().start()) {

        JsonNode document =
            new ObjectMapper()
                .readTree(
                    Cluster.fetch("http://127.0.0.1:" + dashboard.port() + "/api/services").body());

        assertThat(document.path("services").get(0).path("providers"))
            .extracting(p -> p.path("address").asText())
            .containsExactlyInAnyOrder(cluster.address(0), cluster.address(1));
      }
      assertThat(curator.getState()).isEqualTo(CuratorFrameworkState.STARTED);
      assertThat(curator.getChildren().forPath("/minirpc")).contains("demo.Greeting");
    }
  }

  @Test
  void builderNeedsExactlyOneWayToZooKeeper() {
    assertThatThrownBy(() -> Dashboard.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("give the dashboard one of zooKeeper(connectString) and curator(client)");
  }

  @Test
  void builderRefusesAPortOutOfRange() {
    assertThatThrownBy(() -> Dashboard.builder().port(65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 0 and 65535: 65536");
  }

  @Test
  void startAndCloseAreIdempotentAndAClosedDashboardCannotStart() {
    cluster = new Cluster();
    Dashboard dashboard = cluster.dashboard;

    assertThat(dashboard.start()).isSameAs(dashboard);
    dashboard.close();
    dashboard.close();

    assertThatThrownBy(dashboard::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("dashboard is closed");
  }

  /** The listed provider of GreetingService at this address. */
  private JsonNode provider(String address) {
    return cluster.providersOf(Cluster.GREETING).stream()
        .filter(p -> p.path("address").asText().equals(address))
        .findFirst()
        .orElseThrow(() -> new AssertionError(address + " is not listed"));
  }

  /** Each listed provider's address and state. */
  private Map<String, String> states() {
    return cluster.providersOf(Cluster.GREETING).stream()
        .collect(Collectors.toMap(p -> p.path("address").asText(), p -> p.path("state").asText()));
  }
}
