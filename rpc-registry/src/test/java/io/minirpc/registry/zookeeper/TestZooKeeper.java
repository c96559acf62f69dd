package io.minirpc.registry.zookeeper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.ZooKeeper;

/** Real ZooKeeper servers and clients with the short timeouts tests need. */
final class TestZooKeeper {

  /** A server tick of 250 ms allows sessions from 0.5 s to 5 s. */
  static final int TICK_MS = 250;

  /** Short enough for expiry tests to be quick, long enough not to expire by accident. */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);

  static final Duration CONNECTION_TIMEOUT = SESSION_TIMEOUT;

  private TestZooKeeper() {}

  /** A started Curator {@link TestingServer} on a free port with a short tick. */
  static TestingServer server() throws Exception {
    return new TestingServer(spec(-1), true);
  }

  /** An instance spec with a short tick; {@code serverId} -1 picks one. */
  static InstanceSpec spec(int serverId) {
    return new InstanceSpec(null, -1, -1, -1, true, serverId, TICK_MS, -1);
  }

  /**
   * The specs of an ensemble of this many servers, each with its own client, election and quorum
   * port. Curator's random ports are probed one at a time and may repeat, which ZooKeeper refuses
   * ("Client and election port must be different"): here all are held open at once while chosen, so
   * they differ. Another process may still take one before the ensemble binds it.
   */
  static List<InstanceSpec> ensemble(int servers) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3 * servers; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      List<InstanceSpec> specs = new ArrayList<>();
      for (int id = 1; id <= servers; id++) {
        int first = 3 * (id - 1);
        specs.add(
            new InstanceSpec(
                null,
                held.get(first).getLocalPort(),
                held.get(first + 1).getLocalPort(),
                held.get(first + 2).getLocalPort(),
                true,
                id,
                TICK_MS,
                -1));
      }
      return specs;
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
  }

  /** A started Curator client with the test session timeout. */
  static CuratorFramework client(String connectString) {
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs((int) SESSION_TIMEOUT.toMillis())
            .connectionTimeoutMs((int) CONNECTION_TIMEOUT.toMillis())
            .retryPolicy(new RetryOneTime(100))
            .build();
    client.start();
    return client;
  }

  /** A registry with its own client and the test timeouts. */
  static ZooKeeperRegistry registry(String connectString) {
    return ZooKeeperRegistry.builder()
        .connectString(connectString)
        .sessionTimeout(SESSION_TIMEOUT)
        .connectionTimeout(CONNECTION_TIMEOUT)
        .build();
  }

  /**
   * Expires a client's session on the server, as ZooKeeper does to a session it stopped hearing
   * from: a second connection takes over the session and closes it, which deletes its ephemeral
   * nodes at once and sends the client an Expired event.
   */
  static void expireOnServer(CuratorFramework client, String connectString) throws Exception {
    ZooKeeper original = client.getZookeeperClient().getZooKeeper();
    ZooKeeper intruder =
        new ZooKeeper(
            connectString,
            (int) SESSION_TIMEOUT.toMillis(),
            event -> {},
            original.getSessionId(),
            original.getSessionPasswd());
    try {
      Await.until(
          "the second connection joins the session", () -> intruder.getState().isConnected());
    } finally {
      intruder.close();
    }
  }
}
