package io.minirpc.example.scaleout;

import java.time.Duration;
import java.util.function.BiConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** The Curator client of a scale-out process, which reports each change of its connection. */
final class Curators {

  /**
   * The session of a scale-out process by default: short, so that a dead provider's node vanishes
   * soon, yet long enough to outlast the search for a serving server after the leader dies.
   */
  static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(8);

  /** How long the first connection to the ensemble may take, while its nodes are still starting. */
  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  private Curators() {}

  /**
   * Starts a client of the ensemble at {@code connectString}, with a session of {@code
   * sessionTimeout}, printing {@code EVENT <epoch ms> zookeeper <state>} at each change of its
   * connection and passing it to {@code onChange}.
   */
  static CuratorFramework start(
      String connectString,
      Duration sessionTimeout,
      EventLog events,
      BiConsumer<Long, ConnectionState> onChange) {
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs((int) sessionTimeout.toMillis())
            .connectionTimeoutMs((int) CONNECTION_TIMEOUT.toMillis())
            .retryPolicy(new ExponentialBackoffRetry(200, 3))
            .build();
    client
        .getConnectionStateListenable()
        .addListener(
            (source, state) -> {
              long now = System.currentTimeMillis();
              events.print(now, "zookeeper", state.name());
              onChange.accept(now, state);
            });
    client.start();
    return client;
  }
}
