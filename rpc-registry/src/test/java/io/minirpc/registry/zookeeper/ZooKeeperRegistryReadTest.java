package io.minirpc.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.Provider;
import io.minirpc.ServiceName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one-off reads for tools: {@code services()} and {@code providerNodes(service)}. */
class ZooKeeperRegistryReadTest {

  private static final ServiceName USERS = new ServiceName("example.UserService", "");
  private static final ServiceName GREETING = new ServiceName("demo.Greeting", "1");
  private static final Provider A = new Provider("127.0.0.1", 9001, 40, List.of("kryo", "json"));
  private static final Provider B = new Provider("127.0.0.1", 9002, Provider.DEFAULT_WEIGHT);

  private TestingServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestZooKeeper.server();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void servicesListsTheServicesThatHaveProvidersByKey() {
    try (ZooKeeperRegistry provider = TestZooKeeper.registry(server.getConnectString());
        ZooKeeperRegistry tool = TestZooKeeper.registry(server.getConnectString())) {
      assertThat(tool.services()).isEmpty();
      provider.register(USERS, A);
      provider.register(GREETING, A);
      provider.register(new ServiceName("odd/name", "v.2"), B);

      assertThat(tool.services())
          .containsExactly(GREETING, USERS, new ServiceName("odd/name", "v.2"));

      provider.unregister(USERS, A);
      assertThat(tool.services()).doesNotContain(USERS);
    }
  }

  @Test
  void providerNodesReadsEveryProvidersDocumentSortedByAddress() {
    long before = System.currentTimeMillis();
    try (ZooKeeperRegistry provider = TestZooKeeper.registry(server.getConnectString());
        ZooKeeperRegistry tool = TestZooKeeper.registry(server.getConnectString())) {
      provider.register(GREETING, B);
      provider.register(GREETING, A);

      List<ProviderNode> nodes = tool.providerNodes(GREETING);

      assertThat(nodes).extracting(ProviderNode::address).containsExactly(A.address(), B.address());
      assertThat(nodes.get(0).weight()).isEqualTo(40);
      assertThat(nodes.get(0).serializers()).containsExactly("kryo", "json");
      assertThat(nodes.get(0).startTime()).isBetween(before, System.currentTimeMillis());
      assertThat(tool.providerNodes(USERS)).isEmpty();
    }
  }

  @Test
  void aNodeWithUnreadableDataIsListedByItsName() throws Exception {
    try (CuratorFramework raw = TestZooKeeper.client(server.getConnectString());
        ZooKeeperRegistry tool = TestZooKeeper.registry(server.getConnectString())) {
      raw.create()
          .creatingParentsIfNeeded()
          .withMode(CreateMode.EPHEMERAL)
          .forPath(
              ZooKeeperRegistry.providersPath(USERS) + "/10.0.0.5:9000",
              "not json".getBytes(StandardCharsets.UTF_8));

      assertThat(tool.providerNodes(USERS))
          .containsExactly(new ProviderNode("10.0.0.5:9000", null, 0, 0, List.of(), 0, 0));
    }
  }

  @Test
  void aClosedRegistryReadsNothing() {
    ZooKeeperRegistry tool = TestZooKeeper.registry(server.getConnectString());
    tool.close();

    assertThatThrownBy(tool::services)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("registry is closed");
    assertThatThrownBy(() -> tool.providerNodes(USERS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("registry is closed");
  }
}
