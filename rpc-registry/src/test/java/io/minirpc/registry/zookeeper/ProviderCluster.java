package io.minirpc.registry.zookeeper;

import io.minirpc.Provider;
import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.curator.test.TestingServer;

/**
 * A real ZooKeeper server and the {@link NodeService} providers and callers a test starts around
 * it: each provider is an {@link RpcServer} on 127.0.0.1 with its own registry, so its own
 * ZooKeeper session. {@link #close()} closes everything, last started first.
 */
final class ProviderCluster implements AutoCloseable {

  /** Short, so that tests that close providers abruptly stay quick. */
  static final Duration GRACE_PERIOD = Duration.ofSeconds(2);

  private final TestingServer zooKeeper;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  ProviderCluster() throws Exception {
    this.zooKeeper = TestZooKeeper.server();
  }

  TestingServer zooKeeper() {
    return zooKeeper;
  }

  String connectString() {
    return zooKeeper.getConnectString();
  }

  /**
   * One started provider: its service, its server, the registry it announced itself in, and the
   * address it announced.
   */
  record Node(
      String name,
      CountingNode service,
      RpcServer server,
      ZooKeeperRegistry registry,
      Provider provider) {

    String address() {
      return provider().address();
    }
  }

  /** Starts a provider on a free port, registered through a registry of its own. */
  Node start(String name) {
    return start(name, 0, TestZooKeeper.registry(connectString()));
  }

  /** Starts a provider whose close does not wait for the calls in flight: as good as killed. */
  Node startWithoutGrace(String name) {
    return start(name, 0, TestZooKeeper.registry(connectString()), Duration.ZERO);
  }

  /** Starts a provider on this port (0: a free one), registered through this registry. */
  Node start(String name, int port, ZooKeeperRegistry registry) {
    return start(name, port, registry, GRACE_PERIOD);
  }

  /** Starts a provider whose close waits this long for the calls in flight. */
  Node start(String name, int port, ZooKeeperRegistry registry, Duration gracePeriod) {
    closeAtEnd(registry);
    CountingNode service = new CountingNode(name);
    RpcServer server =
        RpcServer.builder()
            .host("127.0.0.1")
            .port(port)
            .registry(registry)
            .gracePeriod(gracePeriod)
            .workerThreads(16)
            .addService(NodeService.class, service)
            .build();
    closeAtEnd(server);
    server.start();
    Provider provider = new Provider("127.0.0.1", server.port(), Provider.DEFAULT_WEIGHT);
    return new Node(name, service, server, registry, provider);
  }

  /** A registry of its own for a caller, closed with the cluster. */
  ZooKeeperRegistry callerRegistry() {
    return closeAtEnd(TestZooKeeper.registry(connectString()));
  }

  /**
   * A client that finds the providers through a registry of its own; build it with {@link #build}.
   */
  RpcClient.Builder client() {
    return RpcClient.builder().registry(callerRegistry()).timeout(Duration.ofSeconds(5));
  }

  /** Builds the client and closes it with the cluster. */
  RpcClient build(RpcClient.Builder builder) {
    return closeAtEnd(builder.build());
  }

  /** Closes this with the cluster, before what was registered earlier. */
  <T extends AutoCloseable> T closeAtEnd(T resource) {
    resources.push(resource);
    return resource;
  }

  @Override
  public void close() throws IOException {
    Exception failure = null;
    AutoCloseable resource;
    while ((resource = resources.poll()) != null) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    try {
      zooKeeper.close();
    } catch (Exception e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure instanceof IOException e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure != null) {
      throw new IOException("could not close the cluster", failure);
    }
  }
}
