package io.minirpc.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.minirpc.Provider;
import io.minirpc.RpcException;
import io.minirpc.ServiceName;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.registry.zookeeper.ProviderCluster.Node;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls across real providers found in a real ZooKeeper when some of them stall, die, fail or
 * refuse connections: which calls move on to another provider, which fail, and how the circuit
 * breaker keeps the broken ones out of rotation until they recover.
 */
@Timeout(60)
class FailoverIntegrationTest {

  private static final ServiceName NODES = ServiceName.of(NodeService.class);

  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void stopCallers() throws InterruptedException {
    callers.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void idempotentCallMovesOnFromAProviderThatNeverAnswers() throws Exception {
    try (ProviderCluster cluster = new ProviderCluster()) {
      Node stalled = cluster.start("stalled");
      Node healthy = cluster.start("healthy");
      stalled.service().stall();
      RpcClient client = cluster.build(cluster.client().attemptTimeout(Duration.ofMillis(300)));
      NodeService nodes = client.stub(NodeService.class);

      for (int i = 0; i < 4; i++) {
        assertThat(nodes.name()).isEqualTo("healthy");
      }

      // Round robin sent every other call to the stalled provider first.
      assertThat(stalled.service().names()).isEqualTo(2);
      assertThat(healthy.service().names()).isEqualTo(4);
      stalled.service().release();
    }
  }

  @Test
  void idempotentCallSurvivesTheDeathOfTheProviderRunningIt() throws Exception {
    try (ProviderCluster cluster = new ProviderCluster()) {
      Node dying = cluster.startWithoutGrace("dying");
      Node survivor = cluster.start("survivor");
      dying.service().stall();
      RpcClient client = cluster.build(cluster.client());
      NodeService nodes = client.stub(NodeService.class);

      Future<String> call = callUntilOneRunsOn(dying, nodes::name);
      dying.server().close();

      assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("survivor");
      assertThat(dying.service().names()).isEqualTo(1);
    }
  }

  @Test
  void nonIdempotentCallFailsUnavailableAndRunsOnlyOnceWhenTheProviderRunningItDies()
      throws Exception {
    try (ProviderCluster cluster = new ProviderCluster()) {
      Node dying = cluster.startWithoutGrace("dying");
      Node survivor = cluster.start("survivor");
      dying.service().stall();
      RpcClient client = cluster.build(cluster.client());
      NodeService nodes = client.stub(NodeService.class);

      Future<String> call = callUntilOneRunsOn(dying, () -> nodes.order("once"));
      int ranOnSurvivor = survivor.service().orders();
      dying.server().close();

      assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              RpcException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getMessage()).contains(dying.address());
              });
      assertThat(dying.service().orders()).isEqualTo(1);
      assertThat(survivor.service().orders()).isEqualTo(ranOnSurvivor);
    }
  }

  @Test
  void providerThatKeepsFailingIsTakenOutOfRotationAndComesBackAfterItRecovers() throws Exception {
    try (ProviderCluster cluster = new ProviderCluster()) {
      Node failing = cluster.start("failing");
      Node healthy = cluster.start("healthy");
      RpcClient client = cluster.build(cluster.client().circuitBreaker(3, Duration.ofSeconds(2)));
      NodeService nodes = client.stub(NodeService.class);
      failing.service().failing(true);
      int ranOnFailing = failing.service().names();

      for (int i = 0; i < 30; i++) {
        assertThat(nodes.name()).isEqualTo("healthy");
      }
      // Three failures opened its circuit: the calls after them did not even try it.
      assertThat(failing.service().names() - ranOnFailing).isEqualTo(3);

      failing.service().failing(false);
      Await.until("a probe closes the circuit", () -> reached(nodes, failing));
      int before = failing.service().names();
      for (int i = 0; i < 30; i++) {
        nodes.name();
      }
      assertThat(failing.service().names() - before).isCloseTo(15, within(1));
    }
  }

  @Test
  void addressThatRefusesConnectionsIsSkippedUntilAProviderListensThere() throws Exception {
    try (ProviderCluster cluster = new ProviderCluster()) {
      int deadPort = freePort();
      ZooKeeperRegistry leftover = cluster.callerRegistry();
      leftover.register(NODES, new Provider("127.0.0.1", deadPort, Provider.DEFAULT_WEIGHT));
      Node healthy = cluster.start("healthy");
      RpcClient client = cluster.build(cluster.client().circuitBreaker(2, Duration.ofMillis(500)));
      NodeService nodes = client.stub(NodeService.class);

      // Refused connections ran nothing: even a non-idempotent call moves on.
      for (int i = 0; i < 20; i++) {
        assertThat(nodes.order("refused " + i)).isEqualTo("healthy");
      }

      Node revived =
          cluster.start("revived", deadPort, TestZooKeeper.registry(cluster.connectString()));
      Await.until("a probe finds the provider now listening there", () -> reached(nodes, revived));
      assertThat(revived.address()).isEqualTo("127.0.0.1:" + deadPort);
    }
  }

  @Test
  void callerWithNoProviderLeftGetsUnavailableNamingEachProviderAndItsState() throws Exception {
    try (ProviderCluster cluster = new ProviderCluster()) {
      Provider first = new Provider("127.0.0.1", freePort(), Provider.DEFAULT_WEIGHT);
      Provider second = new Provider("127.0.0.1", freePort(), Provider.DEFAULT_WEIGHT);
      ZooKeeperRegistry leftovers = cluster.callerRegistry();
      leftovers.register(NODES, first);
      leftovers.register(NODES, second);
      RpcClient client = cluster.build(cluster.client().circuitBreaker(1, Duration.ofSeconds(30)));
      NodeService nodes = client.stub(NodeService.class);

      // Both refuse the first call, which opens both circuits.
      assertThatThrownBy(() -> nodes.order("first"))
          .isInstanceOfSatisfying(
              RpcException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE))
          .hasMessageContaining("cannot connect to");

      assertThatThrownBy(() -> nodes.order("second"))
          .isInstanceOfSatisfying(
              RpcException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.status().description())
                    .startsWith("no provider of test.Node:1 can take the call: ")
                    .contains(first.address() + " (circuit open for ")
                    .contains(second.address() + " (circuit open for ");
              });
    }
  }

  /**
   * Makes calls one at a time on other threads until one of them runs on {@code node}, which stalls
   * it; returns that call. Calls that land elsewhere answer at once.
   */
  private Future<String> callUntilOneRunsOn(Node node, Supplier<String> call) throws Exception {
    int before = node.service().calls();
    for (int i = 0; i < 10; i++) {
      Future<String> f = callers.submit(call::get);
      Await.until(
          "the call ran on " + node.name() + " or answered",
          () -> f.isDone() || node.service().calls() > before);
      if (node.service().calls() > before) {
        return f;
      }
      f.get();
    }
    throw new AssertionError("no call ran on " + node.name());
  }

  private static boolean reached(NodeService nodes, Node node) {
    for (int i = 0; i < 6; i++) {
      if (nodes.name().equals(node.name())) {
        return true;
      }
    }
    return false;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
