package io.minirpc.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.Provider;
import io.minirpc.Registry;
import io.minirpc.RpcException;
import io.minirpc.ServiceName;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.registry.zookeeper.ProviderCluster.Node;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real providers announce themselves in a real ZooKeeper, and a real client finds them there:
 * providers coming and going, sessions ending, ZooKeeper itself going away.
 */
@Timeout(60)
// Subscriptions are opened in try-with-resources only to be closed.
@SuppressWarnings("try")
class DiscoveryIntegrationTest {

  private static final ServiceName NODES = ServiceName.of(NodeService.class);

  @Test
  void providerJoinsTheCallersViewWhenItStartsAndLeavesWhenItStops() throws Exception {
    try (ProviderCluster cluster = new ProviderCluster()) {
      Node a = cluster.start("a");
      RpcClient client = cluster.build(cluster.client());
      NodeService nodes = client.stub(NodeService.class);
      assertThat(nodes.name()).isEqualTo("a");

      Node b = cluster.start("b");
      Await.until("calls reach b", () -> nodes.name().equals("b"));

      ProviderLists lists = new ProviderLists();
      cluster.closeAtEnd(cluster.callerRegistry().subscribe(NODES, lists));
      lists.awaitAddresses(
          List.of(a.provider(), b.provider()).stream().sorted(byAddress()).toList());
      a.server().close();
      lists.awaitAddresses(List.of(b.provider()));
      int ranOnA = a.service().calls();
      for (int i = 0; i < 20; i++) {
        assertThat(nodes.order("after a stopped " + i)).isEqualTo("b");
      }
      assertThat(a.service().calls()).isEqualTo(ranOnA);
    }
  }

  @Test
  void roundRobinGivesEachOfThreeProvidersAThirdOfTheCalls() throws Exception {
    try (ProviderCluster cluster = new ProviderCluster()) {
      List<Node> started = List.of(cluster.start("a"), cluster.start("b"), cluster.start("c"));
      RpcClient client = cluster.build(cluster.client());
      NodeService nodes = client.stub(NodeService.class);
      Await.until(
          "calls reach every provider", () -> started.stream().allMatch(n -> reached(nodes, n)));
      Map<String, Integer> before = callsByNode(started);

      for (int i = 0; i < 300; i++) {
        nodes.order("order " + i);
      }

      for (Node node : started) {
        assertThat(node.service().calls() - before.get(node.name()))
            .as("calls run by %s", node.name())
            .isEqualTo(100);
      }
    }
  }

  @Test
  void providerWhoseSessionEndsWithoutUnregisteringLeavesTheCallersViewAfterTheSessionTimeout()
      throws Exception {
    try (ProviderCluster cluster = new ProviderCluster()) {
      TcpProxy link = cluster.closeAtEnd(new TcpProxy(cluster.zooKeeper().getPort()));
      Node cut = cluster.start("cut", 0, TestZooKeeper.registry(link.connectString()));
      Node kept = cluster.start("kept");
      RpcClient client = cluster.build(cluster.client());
      NodeService nodes = client.stub(NodeService.class);
      Await.until("calls reach both providers", () -> reached(nodes, cut) && reached(nodes, kept));

      // The provider's host is unplugged from ZooKeeper: no unregistering, its server still runs.
      long cutAt = System.nanoTime();
      link.close();
      ProviderLists lists = new ProviderLists();
      try (Registry.Subscription subscription = cluster.callerRegistry().subscribe(NODES, lists)) {
        lists.awaitAddresses(List.of(kept.provider()));
      }
      assertThat(Duration.ofNanos(System.nanoTime() - cutAt))
          .isGreaterThanOrEqualTo(TestZooKeeper.SESSION_TIMEOUT.dividedBy(2));
      Await.until("the caller's view drops the cut provider", () -> !reachedWithin(nodes, cut, 6));

      int ranOnCut = cut.service().calls();
      for (int i = 0; i < 20; i++) {
        assertThat(nodes.order("after the cut " + i)).isEqualTo("kept");
      }
      assertThat(cut.service().calls()).isEqualTo(ranOnCut);
      // Closed first, so that the server's close does not wait for ZooKeeper to unregister.
      cut.registry().close();
    }
  }

  @Test
  void providerWhoseSessionExpiresRegistersAgainAndKeepsGettingCalls() throws Exception {
    try (ProviderCluster cluster = new ProviderCluster()) {
      CuratorFramework providerClient =
          cluster.closeAtEnd(TestZooKeeper.client(cluster.connectString()));
      Node expiring =
          cluster.start("expiring", 0, ZooKeeperRegistry.builder().client(providerClient).build());
      Node other = cluster.start("other");
      ProviderLists lists = new ProviderLists();
      cluster.closeAtEnd(cluster.callerRegistry().subscribe(NODES, lists));
      List<Provider> both =
          List.of(expiring.provider(), other.provider()).stream().sorted(byAddress()).toList();
      lists.awaitAddresses(both);
      RpcClient client = cluster.build(cluster.client());
      NodeService nodes = client.stub(NodeService.class);
      Await.until(
          "calls reach both providers", () -> reached(nodes, expiring) && reached(nodes, other));

      TestZooKeeper.expireOnServer(providerClient, cluster.connectString());

      Await.until(
          "the expired session's node was deleted",
          () ->
              lists.received().stream()
                  .anyMatch(
                      list ->
                          list.stream()
                              .map(Provider::address)
                              .toList()
                              .equals(List.of(other.provider().address()))));
      lists.awaitAddresses(both);
      int ranBefore = expiring.service().calls();
      Await.until("calls reach the provider again", () -> reached(nodes, expiring));
      assertThat(expiring.service().calls()).isGreaterThan(ranBefore);
    }
  }

  @Test
  void callsKeepFlowingWhileZooKeeperIsDownAndANewProviderIsSeenOnceItIsBack() throws Exception {
    try (ProviderCluster cluster = new ProviderCluster()) {
      Node a = cluster.start("a");
      Node b = cluster.start("b");
      CuratorFramework callerClient =
          cluster.closeAtEnd(TestZooKeeper.client(cluster.connectString()));
      List<ConnectionState> callerStates = new CopyOnWriteArrayList<>();
      callerClient
          .getConnectionStateListenable()
          .addListener((c, state) -> callerStates.add(state));
      ZooKeeperRegistry callerRegistry =
          cluster.closeAtEnd(ZooKeeperRegistry.builder().client(callerClient).build());
      RpcClient client = cluster.build(RpcClient.builder().registry(callerRegistry));
      NodeService nodes = client.stub(NodeService.class);
      Await.until("calls reach both providers", () -> reached(nodes, a) && reached(nodes, b));

      cluster.zooKeeper().stop();
      // Calls go on while the caller loses its connection, and after its session is given up.
      Map<String, Integer> served = new HashMap<>();
      Await.until(
          "the caller's ZooKeeper session is lost",
          Duration.ofSeconds(20),
          () -> {
            served.merge(nodes.order("while ZooKeeper is down"), 1, Integer::sum);
            return callerStates.contains(ConnectionState.LOST);
          });
      for (int i = 0; i < 20; i++) {
        served.merge(nodes.order("after the session was lost " + i), 1, Integer::sum);
      }
      assertThat(served.keySet()).containsExactlyInAnyOrder("a", "b");

      cluster.zooKeeper().restart();
      Node c = cluster.start("c");
      Await.until("calls reach the provider started after the restart", () -> reached(nodes, c));
      Await.until(
          "calls reach the earlier providers", () -> reached(nodes, a) && reached(nodes, b));
    }
  }

  @Test
  void callerWhoseZooKeeperNeverAnswersFailsUnavailableAtItsDeadline() throws Exception {
    int nothingListens;
    try (ServerSocket freed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nothingListens = freed.getLocalPort();
    }
    try (ZooKeeperRegistry registry = TestZooKeeper.registry("127.0.0.1:" + nothingListens);
        RpcClient client =
            RpcClient.builder().registry(registry).timeout(Duration.ofMillis(500)).build()) {
      NodeService nodes = client.stub(NodeService.class);
      long start = System.nanoTime();
      RpcException e = catchThrowableOfType(RpcException.class, () -> nodes.order("nowhere"));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.status().description())
          .isEqualTo(
              "the registry gave no list of providers of "
                  + ServiceName.of(NodeService.class)
                  + " in time");
      // It waited for its deadline, and not much longer: a registry that never answers does not
      // hang the caller.
      assertThat(waited).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
    }
  }

  /** Whether one of a few calls runs on this node. */
  private static boolean reached(NodeService nodes, Node node) {
    return reachedWithin(nodes, node, 6);
  }

  private static boolean reachedWithin(NodeService nodes, Node node, int calls) {
    for (int i = 0; i < calls; i++) {
      try {
        if (nodes.name().equals(node.name())) {
          return true;
        }
      } catch (RpcException e) {
        // Just after ZooKeeper comes back, the list may be empty for a moment: the providers'
        // old sessions are gone and they have not registered again yet. Not reached, yet.
        if (e.code() != Status.Code.UNAVAILABLE) {
          throw e;
        }
        return false;
      }
    }
    return false;
  }

  private static Map<String, Integer> callsByNode(List<Node> nodes) {
    Map<String, Integer> calls = new HashMap<>();
    nodes.forEach(n -> calls.put(n.name(), n.service().calls()));
    return calls;
  }

  private static java.util.Comparator<Provider> byAddress() {
    return java.util.Comparator.comparing(Provider::address);
  }
}
