package io.minirpc.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.Provider;
import io.minirpc.Registry;
import io.minirpc.RpcException;
import io.minirpc.ServiceName;
import io.minirpc.Status;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

// Subscriptions are opened in try-with-resources only to be closed.
@SuppressWarnings("try")
class ZooKeeperRegistryTest {

  private static TestingServer server;

  private static final Provider A = new Provider("127.0.0.1", 9001, Provider.DEFAULT_WEIGHT);
  private static final Provider B = new Provider("127.0.0.1", 9002, Provider.DEFAULT_WEIGHT);

  // One service per test: the tests share a server, never nodes.
  private ServiceName service;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestZooKeeper.server();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void nameService(TestInfo test) {
    service = new ServiceName("test." + test.getTestMethod().orElseThrow().getName(), "");
  }

  @Test
  void providerAppearsAfterRegisterAndDisappearsAfterUnregister() {
    ProviderLists lists = new ProviderLists();
    try (ZooKeeperRegistry provider = TestZooKeeper.registry(server.getConnectString());
        ZooKeeperRegistry caller = TestZooKeeper.registry(server.getConnectString());
        Registry.Subscription subscription = caller.subscribe(service, lists)) {
      provider.register(service, A);
      lists.awaitLatest(List.of(A));
      provider.register(service, B);
      lists.awaitLatest(List.of(A, B));

      provider.unregister(service, A);
      lists.awaitLatest(List.of(B));
    }
  }

  @Test
  void subscriberOfAServiceWithoutProvidersGetsAnEmptyList() {
    ProviderLists lists = new ProviderLists();
    try (ZooKeeperRegistry caller = TestZooKeeper.registry(server.getConnectString());
        Registry.Subscription subscription = caller.subscribe(service, lists)) {
      lists.awaitLatest(List.of());
    }
  }

  @Test
  void providerIsAnEphemeralNodeHoldingItsJsonDocument() throws Exception {
    ServiceName versioned = new ServiceName(service.name(), "1.0");
    Provider weighted = new Provider("127.0.0.1", 9003, 7);
    long before = System.currentTimeMillis();
    try (ZooKeeperRegistry registry = TestZooKeeper.registry(server.getConnectString());
        CuratorFramework client = TestZooKeeper.client(server.getConnectString())) {
      registry.register(service, A);
      registry.register(versioned, weighted);

      String path = "/minirpc/" + service.name() + "/_/providers/127.0.0.1:9001";
      String versionedPath = "/minirpc/" + service.name() + "/1.0/providers/127.0.0.1:9003";
      assertThat(client.checkExists().forPath(path).getEphemeralOwner()).isNotZero();
      assertThat(client.checkExists().forPath(versionedPath).getEphemeralOwner()).isNotZero();
      ProviderNode node = ProviderNode.fromJson(client.getData().forPath(versionedPath));
      assertThat(node.address()).isEqualTo("127.0.0.1:9003");
      assertThat(node.host()).isEqualTo("127.0.0.1");
      assertThat(node.port()).isEqualTo(9003);
      assertThat(node.weight()).isEqualTo(7);
      assertThat(node.protocolVersion()).isEqualTo(1);
      assertThat(node.startTime()).isBetween(before, System.currentTimeMillis());
    }
  }

  @Test
  void versionsOfAServiceHaveSeparateProviders() {
    ServiceName versioned = new ServiceName(service.name(), "2");
    ProviderLists unversioned = new ProviderLists();
    ProviderLists version2 = new ProviderLists();
    try (ZooKeeperRegistry registry = TestZooKeeper.registry(server.getConnectString());
        Registry.Subscription first = registry.subscribe(service, unversioned);
        Registry.Subscription second = registry.subscribe(versioned, version2)) {
      registry.register(versioned, A);
      registry.register(service, B);

      version2.awaitLatest(List.of(A));
      unversioned.awaitLatest(List.of(B));
    }
  }

  @Test
  void registeringAgainUpdatesTheDocument() {
    ProviderLists lists = new ProviderLists();
    Provider heavier = new Provider(A.host(), A.port(), 500);
    try (ZooKeeperRegistry registry = TestZooKeeper.registry(server.getConnectString());
        Registry.Subscription subscription = registry.subscribe(service, lists)) {
      registry.register(service, A);
      lists.awaitLatest(List.of(A));

      registry.register(service, heavier);

      lists.awaitLatest(List.of(heavier));
      assertThat(lists.latest().get(0).weight()).isEqualTo(500);
    }
  }

  @Test
  void unregisteringWhatWasNotRegisteredDoesNothing() {
    try (ZooKeeperRegistry registry = TestZooKeeper.registry(server.getConnectString())) {
      registry.unregister(service, A);
    }
  }

  @Test
  void closedSubscriptionGetsNoMoreLists() {
    ProviderLists closed = new ProviderLists();
    ProviderLists open = new ProviderLists();
    try (ZooKeeperRegistry registry = TestZooKeeper.registry(server.getConnectString());
        Registry.Subscription stillOpen = registry.subscribe(service, open)) {
      Registry.Subscription subscription = registry.subscribe(service, closed);
      closed.awaitLatest(List.of());

      subscription.close();
      subscription.close();
      registry.register(service, A);

      open.awaitLatest(List.of(A));
      assertThat(closed.received()).containsExactly(List.of());
    }
  }

  @Test
  void closeRemovesItsProvidersAtOnceAndIsIdempotent() {
    ProviderLists lists = new ProviderLists();
    // The default 30 s session: the provider can only vanish within the wait if close deletes it.
    ZooKeeperRegistry provider =
        ZooKeeperRegistry.builder().connectString(server.getConnectString()).build();
    try (ZooKeeperRegistry caller = TestZooKeeper.registry(server.getConnectString());
        Registry.Subscription subscription = caller.subscribe(service, lists)) {
      provider.register(service, A);
      lists.awaitLatest(List.of(A));

      provider.close();
      provider.close();

      lists.awaitLatest(List.of());
      assertThatThrownBy(() -> provider.register(service, A))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("registry is closed");
      assertThatThrownBy(() -> provider.subscribe(service, new ProviderLists()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("registry is closed");
    } finally {
      provider.close();
    }
  }

  @Test
  void closeLeavesAGivenClientOpen() throws Exception {
    try (CuratorFramework client = TestZooKeeper.client(server.getConnectString())) {
      ZooKeeperRegistry registry = ZooKeeperRegistry.builder().client(client).build();
      registry.register(service, A);

      registry.close();

      assertThat(client.checkExists().forPath(ZooKeeperRegistry.providerPath(service, A))).isNull();
    }
  }

  @Test
  void closedWhileDisconnectedItsNodesAreDeletedWhenAGivenClientReconnects() throws Exception {
    String path = ZooKeeperRegistry.providerPath(service, A);
    try (TestingServer own = TestZooKeeper.server();
        // The longest session the test server allows, so that it outlives the restart.
        CuratorFramework client =
            CuratorFrameworkFactory.builder()
                .connectString(own.getConnectString())
                .sessionTimeoutMs(5_000)
                .connectionTimeoutMs(5_000)
                .retryPolicy(new RetryOneTime(100))
                .build()) {
      client.start();
      ZooKeeperRegistry registry = ZooKeeperRegistry.builder().client(client).build();
      registry.register(service, A);
      long session = sessionId(client);

      own.stop();
      Await.until("the client is disconnected", () -> !client.getZookeeperClient().isConnected());
      registry.close();
      own.restart();

      Await.until(
          "the node is deleted",
          () -> client.getZookeeperClient().isConnected() && exists(client, path) == null);
      assertThat(sessionId(client)).isEqualTo(session);
    }
  }

  @Test
  void registerReplacesANodeLeftByAnotherSession() throws Exception {
    String path = ZooKeeperRegistry.providerPath(service, A);
    try (CuratorFramework oldSession = TestZooKeeper.client(server.getConnectString());
        CuratorFramework client = TestZooKeeper.client(server.getConnectString());
        ZooKeeperRegistry registry = ZooKeeperRegistry.builder().client(client).build()) {
      oldSession
          .create()
          .creatingParentContainersIfNeeded()
          .withMode(CreateMode.EPHEMERAL)
          .forPath(path, "left over".getBytes(StandardCharsets.UTF_8));

      registry.register(service, A);

      Stat stat = client.checkExists().forPath(path);
      assertThat(stat.getEphemeralOwner()).isEqualTo(sessionId(client));
      assertThat(ProviderNode.fromJson(client.getData().forPath(path)).toProvider()).isEqualTo(A);
    }
  }

  @Test
  void providerOfARegistryThatStopsTalkingVanishesAfterTheSessionTimeout() throws Exception {
    ProviderLists lists = new ProviderLists();
    try (TcpProxy network = new TcpProxy(server.getPort());
        ZooKeeperRegistry provider = TestZooKeeper.registry(network.connectString());
        ZooKeeperRegistry caller = TestZooKeeper.registry(server.getConnectString());
        Registry.Subscription subscription = caller.subscribe(service, lists)) {
      provider.register(service, A);
      lists.awaitLatest(List.of(A));

      // As if the provider's host crashed: no close, its session just stops being heard from.
      network.close();

      lists.awaitLatest(List.of());
    }
  }

  @Test
  void providerIsRegisteredAgainAfterItsSessionExpires() throws Exception {
    ProviderLists lists = new ProviderLists();
    String path = ZooKeeperRegistry.providerPath(service, A);
    try (CuratorFramework client = TestZooKeeper.client(server.getConnectString());
        ZooKeeperRegistry provider = ZooKeeperRegistry.builder().client(client).build();
        ZooKeeperRegistry caller = TestZooKeeper.registry(server.getConnectString());
        Registry.Subscription subscription = caller.subscribe(service, lists)) {
      provider.register(service, A);
      lists.awaitLatest(List.of(A));
      long expired = sessionId(client);

      TestZooKeeper.expireOnServer(client, server.getConnectString());

      Await.until(
          "the provider node belongs to a new session",
          () -> ownerOf(client, path) != 0 && ownerOf(client, path) != expired);
      assertThat(ownerOf(client, path)).isEqualTo(sessionId(client));
      lists.awaitLatest(List.of(A));
    }
  }

  @Test
  void nodeOfTheOldSessionIsReplacedWhenCuratorDeclaresTheSessionLost() throws Exception {
    ProviderLists lists = new ProviderLists();
    String path = ZooKeeperRegistry.providerPath(service, A);
    String marker = "/markers/" + service.name();
    try (CuratorFramework client = TestZooKeeper.client(server.getConnectString());
        ZooKeeperRegistry provider = ZooKeeperRegistry.builder().client(client).build();
        ZooKeeperRegistry caller = TestZooKeeper.registry(server.getConnectString());
        Registry.Subscription subscription = caller.subscribe(service, lists)) {
      provider.register(service, A);
      // Vanishes when the server expires the old session, which nobody registers again.
      client
          .create()
          .creatingParentContainersIfNeeded()
          .withMode(CreateMode.EPHEMERAL)
          .forPath(marker);
      lists.awaitLatest(List.of(A));
      long old = sessionId(client);

      // Curator's test tool: the client drops its session while the server still holds it.
      KillSession.kill(client.getZookeeperClient().getZooKeeper());

      Await.until(
          "the provider node belongs to a new session",
          () -> ownerOf(client, path) != 0 && ownerOf(client, path) != old);
      Await.until("the server expires the old session", () -> exists(client, marker) == null);
      assertThat(ownerOf(client, path)).isEqualTo(sessionId(client));
      lists.awaitLatest(List.of(A));
    }
  }

  @Test
  void providerNodeDeletedBySomeoneElseIsCreatedAgainWithTheSameDocument() throws Exception {
    ProviderLists lists = new ProviderLists();
    Provider provider = A.withSerializers(List.of("kryo", "json"));
    String path = ZooKeeperRegistry.providerPath(service, provider);
    try (CuratorFramework client = TestZooKeeper.client(server.getConnectString());
        ZooKeeperRegistry registry = ZooKeeperRegistry.builder().client(client).build();
        CuratorFramework someoneElse = TestZooKeeper.client(server.getConnectString());
        ZooKeeperRegistry caller = TestZooKeeper.registry(server.getConnectString());
        Registry.Subscription subscription = caller.subscribe(service, lists)) {
      registry.register(service, provider);
      lists.awaitLatest(List.of(provider));
      byte[] document = someoneElse.getData().forPath(path);
      long created = someoneElse.checkExists().forPath(path).getCzxid();

      someoneElse.delete().forPath(path);

      Await.until("the node is created again", () -> createdAfter(someoneElse, path, created));
      assertThat(someoneElse.getData().forPath(path)).isEqualTo(document);
      assertThat(ownerOf(someoneElse, path)).isEqualTo(sessionId(client));
      lists.awaitLatest(List.of(provider));
      List<List<Provider>> received = lists.received();
      assertThat(received.subList(received.indexOf(List.of(provider)), received.size()))
          .as("the subscriber saw the provider leave and come back")
          .contains(List.of());
    }
  }

  @Test
  void unregisteredProviderIsNotCreatedAgain() throws Exception {
    ProviderLists lists = new ProviderLists();
    String pathOfA = ZooKeeperRegistry.providerPath(service, A);
    String pathOfB = ZooKeeperRegistry.providerPath(service, B);
    try (CuratorFramework client = TestZooKeeper.client(server.getConnectString());
        ZooKeeperRegistry registry = ZooKeeperRegistry.builder().client(client).build();
        CuratorFramework someoneElse = TestZooKeeper.client(server.getConnectString());
        ZooKeeperRegistry caller = TestZooKeeper.registry(server.getConnectString());
        Registry.Subscription subscription = caller.subscribe(service, lists)) {
      registry.register(service, A);
      registry.register(service, B);
      lists.awaitLatest(List.of(A, B));

      registry.unregister(service, A);

      assertThat(exists(someoneElse, pathOfA)).isNull();
      // B, still registered, is created again; by then A would have been too.
      long created = someoneElse.checkExists().forPath(pathOfB).getCzxid();
      someoneElse.delete().forPath(pathOfB);
      Await.until("B is created again", () -> createdAfter(someoneElse, pathOfB, created));
      assertThat(exists(someoneElse, pathOfA)).isNull();
      // Likewise for a new session.
      long expired = sessionId(client);
      TestZooKeeper.expireOnServer(client, server.getConnectString());
      Await.until(
          "B belongs to a new session",
          () -> ownerOf(someoneElse, pathOfB) != 0 && ownerOf(someoneElse, pathOfB) != expired);
      assertThat(exists(someoneElse, pathOfA)).isNull();
      lists.awaitLatest(List.of(B));
    }
  }

  @Test
  void unregisterAndCloseDoNotWaitForAZooKeeperThatIsDown() throws Exception {
    String pathOfA = ZooKeeperRegistry.providerPath(service, A);
    String pathOfB = ZooKeeperRegistry.providerPath(service, B);
    try (TestingServer own = TestZooKeeper.server();
        // The longest session the test server allows, so that it outlives the restart.
        CuratorFramework client =
            CuratorFrameworkFactory.builder()
                .connectString(own.getConnectString())
                .sessionTimeoutMs(5_000)
                .connectionTimeoutMs(5_000)
                .retryPolicy(new RetryOneTime(100))
                .build()) {
      client.start();
      ZooKeeperRegistry registry = ZooKeeperRegistry.builder().client(client).build();
      registry.register(service, A);
      registry.register(service, B);
      long session = sessionId(client);

      own.stop();
      Await.until("the client is disconnected", () -> !client.getZookeeperClient().isConnected());
      long start = System.nanoTime();
      registry.unregister(service, A);
      registry.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      own.restart();

      // A delete in the foreground would wait out the client's 5 s connection timeout.
      assertThat(took).isLessThan(Duration.ofSeconds(2));
      Await.until(
          "both nodes are deleted",
          () ->
              client.getZookeeperClient().isConnected()
                  && exists(client, pathOfA) == null
                  && exists(client, pathOfB) == null);
      assertThat(sessionId(client)).isEqualTo(session);
    }
  }

  @Test
  void registerFailsUnavailableWhenZooKeeperCannotBeReached() throws Exception {
    int nothingListens;
    try (ServerSocket freed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nothingListens = freed.getLocalPort();
    }
    try (ZooKeeperRegistry registry = TestZooKeeper.registry("127.0.0.1:" + nothingListens)) {
      RpcException e =
          catchThrowableOfType(RpcException.class, () -> registry.register(service, A));

      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.status().description())
          .startsWith(
              "could not register "
                  + A
                  + " for "
                  + service
                  + " at "
                  + ZooKeeperRegistry.providerPath(service, A)
                  + ": ");
    }
  }

  @Test
  void subscriberKeepsItsLastListWhileZooKeeperIsDownAndSeesChangesAfterRestart() throws Exception {
    ProviderLists lists = new ProviderLists();
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    try (TestingServer own = TestZooKeeper.server();
        ZooKeeperRegistry provider = TestZooKeeper.registry(own.getConnectString());
        CuratorFramework client = TestZooKeeper.client(own.getConnectString());
        ZooKeeperRegistry caller = ZooKeeperRegistry.builder().client(client).build();
        Registry.Subscription subscription = caller.subscribe(service, lists)) {
      client.getConnectionStateListenable().addListener((c, state) -> states.add(state));
      provider.register(service, A);
      lists.awaitLatest(List.of(A));

      own.stop();
      // LOST comes once the session timeout has passed without a server.
      Await.until("the caller's session is lost", () -> states.contains(ConnectionState.LOST));

      List<List<Provider>> received = lists.received();
      assertThat(received.subList(received.indexOf(List.of(A)), received.size()))
          .containsOnly(List.of(A));

      own.restart();
      // The provider's client reconnects on its own schedule; until then register is UNAVAILABLE.
      Await.until("B is registered", () -> registered(provider, B));

      lists.awaitLatest(List.of(A, B));
      provider.unregister(service, A);
      lists.awaitLatest(List.of(B));
    }
  }

  @Test
  void builderNeedsAConnectStringOrAClient() {
    assertThatThrownBy(() -> ZooKeeperRegistry.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectString or client is required");
  }

  @Test
  void builderRejectsAConnectStringWithAClient() {
    try (CuratorFramework client = TestZooKeeper.client(server.getConnectString())) {
      assertThatThrownBy(
              () ->
                  ZooKeeperRegistry.builder()
                      .client(client)
                      .connectString(server.getConnectString())
                      .build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "give either connectString or client, not both: the client has its own servers");
      assertThatThrownBy(
              () ->
                  ZooKeeperRegistry.builder()
                      .client(client)
                      .sessionTimeout(Duration.ofSeconds(5))
                      .build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "sessionTimeout, connectionTimeout and retryPolicy apply only with connectString:"
                  + " configure them on the given client");
    }
  }

  @Test
  void builderRejectsAClientThatIsNotStarted() {
    try (CuratorFramework client =
        CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
      assertThatThrownBy(() -> ZooKeeperRegistry.builder().client(client).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("client must be started, but it is LATENT");
    }
  }

  @Test
  void builderRejectsNonPositiveTimeouts() {
    assertThatThrownBy(() -> ZooKeeperRegistry.builder().sessionTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sessionTimeout must be positive and below 24 days: PT0S");
    assertThatThrownBy(() -> ZooKeeperRegistry.builder().connectionTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectionTimeout must be positive and below 24 days: PT-1S");
  }

  @Test
  void serviceNamesAreEncodedIntoOnePathSegment() {
    assertThat(ZooKeeperRegistry.providersPath(new ServiceName("a/b c", "")))
        .isEqualTo("/minirpc/a%2Fb+c/_/providers");
    assertThat(ZooKeeperRegistry.providersPath(new ServiceName("..", ".")))
        .isEqualTo("/minirpc/%2E%2E/%2E/providers");
  }

  private boolean registered(Registry registry, Provider provider) {
    try {
      registry.register(service, provider);
      return true;
    } catch (RpcException e) {
      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      return false;
    }
  }

  private static long sessionId(CuratorFramework client) {
    try {
      return client.getZookeeperClient().getZooKeeper().getSessionId();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Stat exists(CuratorFramework client, String path) {
    try {
      return client.checkExists().forPath(path);
    } catch (Exception e) {
      // Reconnecting: not there as far as this poll can tell.
      return null;
    }
  }

  /** Whether a node is at the path that was created after the one with zxid {@code czxid}. */
  private static boolean createdAfter(CuratorFramework client, String path, long czxid) {
    Stat stat = exists(client, path);
    return stat != null && stat.getCzxid() > czxid;
  }

  private static long ownerOf(CuratorFramework client, String path) {
    Stat stat = exists(client, path);
    return stat == null ? 0 : stat.getEphemeralOwner();
  }
}
