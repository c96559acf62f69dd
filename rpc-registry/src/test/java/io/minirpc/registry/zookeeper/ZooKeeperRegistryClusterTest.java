package io.minirpc.registry.zookeeper;

import io.minirpc.Provider;
import io.minirpc.Registry;
import io.minirpc.ServiceName;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryUntilElapsed;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;

// Subscriptions are opened in try-with-resources only to be closed.
@SuppressWarnings("try")
class ZooKeeperRegistryClusterTest {

  private static final ServiceName ECHO = new ServiceName("test.cluster.Echo", "");
  private static final Provider A = new Provider("127.0.0.1", 9001, Provider.DEFAULT_WEIGHT);
  private static final Provider B = new Provider("127.0.0.1", 9002, Provider.DEFAULT_WEIGHT);

  @Test
  void registrationAndDiscoveryGoOnWhenOneOfThreeServersDies() throws Exception {
    ProviderLists lists = new ProviderLists();
    try (TestingCluster cluster = new TestingCluster(TestZooKeeper.ensemble(3))) {
      cluster.start();
      try (CuratorFramework client = client(cluster.getConnectString());
          ZooKeeperRegistry provider = ZooKeeperRegistry.builder().client(client).build();
          ZooKeeperRegistry caller = TestZooKeeper.registry(cluster.getConnectString());
          Registry.Subscription subscription = caller.subscribe(ECHO, lists)) {
        provider.register(ECHO, A);
        lists.awaitLatest(List.of(A));

        // The server the provider talks to, so that its client has to move to another one.
        InstanceSpec connected =
            cluster.findConnectionInstance(client.getZookeeperClient().getZooKeeper());
        cluster.killServer(connected);

        provider.register(ECHO, B);
        lists.awaitLatest(List.of(A, B));
        provider.unregister(ECHO, A);
        lists.awaitLatest(List.of(B));
      }
    }
  }

  /**
   * A session long enough to survive moving to another server while a leader is elected, and
   * operations retried for as long: killing the leader leaves no server serving for a moment.
   */
  private static CuratorFramework client(String connectString) {
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs(5_000)
            .connectionTimeoutMs(5_000)
            .retryPolicy(new RetryUntilElapsed(10_000, 100))
            .build();
    client.start();
    return client;
  }
}
