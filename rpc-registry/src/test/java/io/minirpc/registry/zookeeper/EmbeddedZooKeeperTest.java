package io.minirpc.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.Provider;
import io.minirpc.Registry;
import io.minirpc.ServiceName;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

// Subscriptions are opened in try-with-resources only to be closed.
@SuppressWarnings("try")
class EmbeddedZooKeeperTest {

  @Test
  void acceptsAClientOnAFreeLoopbackPort() throws Exception {
    try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start();
        CuratorFramework client = TestZooKeeper.client(zooKeeper.connectString())) {
      assertThat(zooKeeper.port()).isPositive();
      assertThat(zooKeeper.connectString()).isEqualTo("127.0.0.1:" + zooKeeper.port());

      client.create().forPath("/hello", "world".getBytes(StandardCharsets.UTF_8));

      assertThat(new String(client.getData().forPath("/hello"), StandardCharsets.UTF_8))
          .isEqualTo("world");
    }
  }

  @Test
  void closeReleasesThePortAndDeletesTheDataDirectory() throws Exception {
    EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start();
    Path dataDirectory = zooKeeper.dataDirectory();
    int port = zooKeeper.port();
    try (CuratorFramework client = TestZooKeeper.client(zooKeeper.connectString())) {
      client.create().forPath("/written", new byte[] {1});
    }
    assertThat(dataDirectory).isDirectory();

    zooKeeper.close();
    zooKeeper.close();

    assertThat(Files.exists(dataDirectory)).isFalse();
    try (ServerSocket socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void listensOnTheGivenPort() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }

    try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.builder().port(port).start()) {
      assertThat(zooKeeper.port()).isEqualTo(port);
    }
  }

  @Test
  void aTakenPortFailsToStart() throws IOException {
    try (EmbeddedZooKeeper running = EmbeddedZooKeeper.start()) {
      assertThatThrownBy(() -> EmbeddedZooKeeper.builder().port(running.port()).start())
          .hasMessage("could not start ZooKeeper on 127.0.0.1:" + running.port());
    }
  }

  @Test
  void servesARegistryForDiscovery() {
    ServiceName echo = new ServiceName("example.Echo", "");
    Provider provider = new Provider("127.0.0.1", 9000, Provider.DEFAULT_WEIGHT);
    ProviderLists lists = new ProviderLists();
    try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start();
        ZooKeeperRegistry registry = TestZooKeeper.registry(zooKeeper.connectString());
        Registry.Subscription subscription = registry.subscribe(echo, lists)) {
      registry.register(echo, provider);
      lists.awaitLatest(List.of(provider));

      registry.unregister(echo, provider);
      lists.awaitLatest(List.of());
    }
  }

  @Test
  void builderRejectsBadSettings() {
    assertThatThrownBy(() -> EmbeddedZooKeeper.builder().port(70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be within 0 and 65535: 70000");
    assertThatThrownBy(() -> EmbeddedZooKeeper.builder().tickTime(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tickTime must be within 1 ms and 60 s: 0 ms");
  }
}
