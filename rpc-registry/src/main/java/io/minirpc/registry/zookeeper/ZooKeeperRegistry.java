package io.minirpc.registry.zookeeper;

import io.minirpc.Provider;
import io.minirpc.Registry;
import io.minirpc.ServiceName;
import io.minirpc.Status;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Registry} kept in ZooKeeper through Apache Curator.
 *
 * <pre>{@code
 * try (ZooKeeperRegistry registry =
 *     ZooKeeperRegistry.builder().connectString("zk1:2181,zk2:2181,zk3:2181").build()) {
 *   ServiceName echo = ServiceName.of(Echo.class);
 *   registry.register(echo, new Provider("10.0.0.5", 9000, Provider.DEFAULT_WEIGHT));
 *   Registry.Subscription subscription =
 *       registry.subscribe(echo, providers -> loadBalancer.update(providers));
 * }
 * }</pre>
 *
 * <h2>Node layout</h2>
 *
 * <pre>
 * /minirpc/&lt;service name&gt;/&lt;version, or _ when it is empty&gt;/providers/&lt;host:port&gt;
 * </pre>
 *
 * Each provider is an <em>ephemeral</em> node owned by this registry's ZooKeeper session, so it
 * vanishes when the process dies and its session times out; the folders above it are container
 * nodes created as needed. The name and version are URL-encoded into one path segment each. The
 * node's data is a small JSON document:
 *
 * <pre>{@code
 * {"address":"10.0.0.5:9000","host":"10.0.0.5","port":9000,"weight":100,
 *  "serializers":["kryo","json"],"protocolVersion":1,"startTime":1700000000000}
 * }</pre>
 *
 * where {@code serializers} names the serializers the provider accepts for the service (empty: any)
 * and {@code startTime} is when this registry first registered the provider (epoch ms). Readers
 * ignore fields they do not know.
 *
 * <h2>Sessions</h2>
 *
 * Each provider's node is kept by Curator's {@code PersistentNode} recipe: when someone else
 * deletes it while the session lives, or the session expires and Curator reconnects with a new one,
 * it is created again, by itself, with the same document. A provider's path is its address, so a
 * node already there that this session does not own is taken for a leftover of an earlier session
 * of the same provider (one ZooKeeper has not timed out yet): on register, and after each
 * reconnection, it is deleted and created anew, so that it does not vanish when that old session
 * ends.
 *
 * <h2>Subscriptions</h2>
 *
 * Each subscription keeps a Curator {@link CuratorCache} of the service's providers folder:
 * ZooKeeper watches keep it current, and the listener gets the whole list, built from the cache
 * without a ZooKeeper read, once the cache is loaded and after each change. CuratorCache rather
 * than Curator's service-discovery recipe ({@code curator-x-discovery}) because that recipe imposes
 * its own node layout and its own {@code ServiceInstance} JSON, where minirpc owns both. While
 * ZooKeeper cannot be reached, subscribers keep the last list they got; the registry logs one
 * warning per loss of connection that the lists may be stale.
 *
 * <p>A registry is thread-safe. Listeners are called on Curator's event thread and must not block.
 * {@link #close()} stops the subscriptions, deletes the nodes it registered (when connected), and
 * closes the Curator client if it built it itself.
 */
public final class ZooKeeperRegistry implements Registry {

  /** The root of every minirpc node. */
  static final String ROOT = "/minirpc";

  private static final Logger log = LoggerFactory.getLogger(ZooKeeperRegistry.class);

  private final CuratorFramework client;
  private final boolean ownsClient;
  private final ConnectionStateListener connectionListener = this::connectionStateChanged;
  // Stale nodes are taken over on their own thread: Curator's state listener must not block.
  private final ExecutorService takeOver;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<CacheSubscription> subscriptions = ConcurrentHashMap.newKeySet();

  // Serializes register, unregister, takeOverStaleNodes and close.
  private final Object lock = new Object();
  // Guarded by lock; by path, in registration order.
  private final Map<String, RegisteredNode> registrations = new LinkedHashMap<>();

  // Only written by Curator's single connection-state thread.
  private volatile boolean connectionLost;

  private ZooKeeperRegistry(CuratorFramework client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.takeOver =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "minirpc-zookeeper-registry");
              thread.setDaemon(true);
              return thread;
            });
    client.getConnectionStateListenable().addListener(connectionListener);
  }

  /** A builder; give it a {@link Builder#connectString} or a started {@link Builder#client}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the provider's ephemeral node, replacing one left at the same path by another session,
   * and keeps it there until {@link #unregister} or {@link #close}. Registering the same provider
   * again updates its document, in the background.
   *
   * @throws io.minirpc.RpcException with {@link Status.Code#UNAVAILABLE} if ZooKeeper could not be
   *     reached within the connection timeout and retries, or did not confirm the node within the
   *     connection timeout; the provider is then not registered
   * @throws IllegalStateException if the registry is closed
   */
  @Override
  public void register(ServiceName service, Provider provider) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(provider, "provider");
    String path = providerPath(service, provider);
    String what = provider + " for " + service + " at " + path;
    synchronized (lock) {
      checkOpen();
      RegisteredNode previous = registrations.get(path);
      if (previous != null) {
        try {
          previous.update(ProviderNode.of(provider, previous.document().startTime()));
        } catch (Exception e) {
          throw failure("could not register " + what, e);
        }
        return;
      }
      RegisteredNode node =
          new RegisteredNode(client, path, ProviderNode.of(provider, System.currentTimeMillis()));
      try {
        // A foreground call: fails with the client's retries when ZooKeeper is unreachable.
        deleteIfStale(path);
        node.start();
        long timeout = client.getZookeeperClient().getConnectionTimeoutMs();
        if (!node.waitForInitialCreate(timeout, TimeUnit.MILLISECONDS)) {
          throw new TimeoutException(
              "ZooKeeper did not confirm the node within " + timeout + " ms");
        }
      } catch (Exception e) {
        // Stops the recipe; a create that reaches ZooKeeper later is deleted at once by it.
        closeQuietly(node);
        throw failure("could not register " + what, e);
      }
      registrations.put(path, node);
    }
  }

  /**
   * Deletes the provider's node, if this registry registered it.
   *
   * <p>The node is not created again from then on. While not connected this does not wait: Curator
   * deletes the node once it reconnects, and it vanishes anyway when the session ends.
   *
   * @throws io.minirpc.RpcException with {@link Status.Code#UNAVAILABLE} if the connection was lost
   *     during the delete; the registry has forgotten the provider all the same, Curator keeps
   *     trying to delete the node in the background, and it vanishes anyway when the session ends
   */
  @Override
  public void unregister(ServiceName service, Provider provider) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(provider, "provider");
    String path = providerPath(service, provider);
    synchronized (lock) {
      RegisteredNode node = registrations.remove(path);
      if (node == null) {
        return;
      }
      try {
        node.close();
      } catch (IOException e) {
        throw failure("could not unregister " + provider + " for " + service + " at " + path, e);
      }
    }
  }

  /**
   * Follows the providers of a service through a {@link CuratorCache} of its providers folder. The
   * folder need not exist yet: the first list is then empty.
   *
   * @throws IllegalStateException if the registry is closed
   */
  @Override
  public Subscription subscribe(ServiceName service, Consumer<List<Provider>> listener) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(listener, "listener");
    checkOpen();
    CacheSubscription subscription = new CacheSubscription(service, listener);
    subscriptions.add(subscription);
    subscription.start();
    // A close racing with this subscribe might have missed it.
    if (closed.get()) {
      subscription.close();
      checkOpen();
    }
    return subscription;
  }

  /**
   * The services that have at least one provider in ZooKeeper now, sorted by key: a read of the
   * node tree, for tools (the command-line client's {@code list --zookeeper}); callers of a service
   * {@link #subscribe} to it instead.
   *
   * @throws io.minirpc.RpcException with {@link Status.Code#UNAVAILABLE} if ZooKeeper could not be
   *     read within the connection timeout and retries
   * @throws IllegalStateException if the registry is closed
   */
  public List<ServiceName> services() {
    checkOpen();
    List<ServiceName> services = new ArrayList<>();
    try {
      for (String name : children(ROOT)) {
        for (String version : children(ROOT + "/" + name)) {
          ServiceName service =
              new ServiceName(
                  URLDecoder.decode(name, StandardCharsets.UTF_8),
                  version.equals("_") ? "" : URLDecoder.decode(version, StandardCharsets.UTF_8));
          if (!children(providersPath(service)).isEmpty()) {
            services.add(service);
          }
        }
      }
    } catch (Exception e) {
      throw failure("could not read the services under " + ROOT, e);
    }
    services.sort(Comparator.comparing(ServiceName::key));
    return List.copyOf(services);
  }

  /**
   * The documents of a service's providers as ZooKeeper has them now, sorted by address: one read
   * of its providers folder, for tools (the command-line client's {@code providers}); callers of
   * the service {@link #subscribe} to it instead. A node whose data is not a provider document is
   * listed with its name as its address and every other field empty (null, 0 or an empty list).
   *
   * @throws io.minirpc.RpcException with {@link Status.Code#UNAVAILABLE} if ZooKeeper could not be
   *     read within the connection timeout and retries
   * @throws IllegalStateException if the registry is closed
   */
  public List<ProviderNode> providerNodes(ServiceName service) {
    Objects.requireNonNull(service, "service");
    checkOpen();
    String folder = providersPath(service);
    List<ProviderNode> nodes = new ArrayList<>();
    try {
      for (String child : children(folder)) {
        byte[] data;
        try {
          data = client.getData().forPath(folder + "/" + child);
        } catch (KeeperException.NoNodeException e) {
          continue; // gone since the folder was read
        }
        try {
          nodes.add(ProviderNode.fromJson(data));
        } catch (IllegalArgumentException e) {
          nodes.add(new ProviderNode(child, null, 0, 0, List.of(), 0, 0));
        }
      }
    } catch (Exception e) {
      throw failure("could not read the providers of " + service + " at " + folder, e);
    }
    nodes.sort(
        Comparator.comparing(
            ProviderNode::address, Comparator.nullsFirst(Comparator.naturalOrder())));
    return List.copyOf(nodes);
  }

  /** The names of a node's children; none if there is no such node. */
  private List<String> children(String path) throws Exception {
    try {
      return client.getChildren().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    }
  }

  /**
   * Stops every subscription, deletes the nodes this registry registered, and closes the Curator
   * client if the registry built it. When not connected, the nodes of its own client vanish with
   * the session, and those made through a given client are deleted by Curator once that client
   * reconnects. Does nothing the second time.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    client.getConnectionStateListenable().removeListener(connectionListener);
    takeOver.shutdownNow();
    for (CacheSubscription subscription : List.copyOf(subscriptions)) {
      subscription.close();
    }
    synchronized (lock) {
      if (!registrations.isEmpty() && ownsClient && !client.getZookeeperClient().isConnected()) {
        log.info(
            "Not connected to ZooKeeper on close: {} provider node(s) vanish when the session ends",
            registrations.size());
      }
      // Connected: deleted at once. Not: a given client, which lives on and may get its session
      // back, deletes them once it reconnects.
      registrations.values().forEach(ZooKeeperRegistry::closeQuietly);
      registrations.clear();
    }
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "ZooKeeperRegistry{"
        + client.getZookeeperClient().getCurrentConnectionString()
        + (closed.get() ? ", closed}" : "}");
  }

  /** {@code /minirpc/<name>/<version or _>/providers}. */
  static String providersPath(ServiceName service) {
    String version = service.version().isEmpty() ? "_" : segment(service.version());
    return ROOT + "/" + segment(service.name()) + "/" + version + "/providers";
  }

  static String providerPath(ServiceName service, Provider provider) {
    return providersPath(service) + "/" + provider.address();
  }

  private static String segment(String text) {
    String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8);
    // ZooKeeper rejects "." and ".." as path segments.
    return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("registry is closed");
    }
  }

  private static RuntimeException failure(String message, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return Status.UNAVAILABLE.withDescription(message + ": " + e).asException(e);
  }

  /**
   * Deletes the node at {@code path} if it belongs to another session than the current one: a
   * leftover of an earlier session of the same provider, which would vanish when that session ends.
   */
  private void deleteIfStale(String path) throws Exception {
    Stat stat = client.checkExists().forPath(path);
    long session = client.getZookeeperClient().getZooKeeper().getSessionId();
    if (stat == null || stat.getEphemeralOwner() == session) {
      return;
    }
    log.info(
        "Replacing {} left by session 0x{} with a node of session 0x{}",
        path,
        Long.toHexString(stat.getEphemeralOwner()),
        Long.toHexString(session));
    try {
      // The recipe, which watches the node, creates it again for this session.
      client.delete().withVersion(stat.getVersion()).forPath(path);
    } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
      // Changed meanwhile: the recipe has seen to it.
    }
  }

  private static void closeQuietly(RegisteredNode node) {
    try {
      node.close();
    } catch (IOException e) {
      log.warn(
          "Could not delete {}; Curator retries in the background, and it vanishes when the"
              + " session ends",
          node.path(),
          e);
    }
  }

  private void connectionStateChanged(CuratorFramework source, ConnectionState state) {
    switch (state) {
      case SUSPENDED, LOST -> {
        if (!connectionLost) {
          connectionLost = true;
          List<ServiceName> services =
              subscriptions.stream().map(s -> s.service).distinct().toList();
          if (services.isEmpty()) {
            log.warn("Connection to ZooKeeper lost");
          } else {
            log.warn(
                "Connection to ZooKeeper lost; until it is back, subscribers keep their last"
                    + " known providers, which may be stale, for {}",
                services);
          }
        }
      }
      case CONNECTED, RECONNECTED -> {
        if (connectionLost) {
          connectionLost = false;
          log.info("Connection to ZooKeeper is back");
        }
        if (state == ConnectionState.RECONNECTED && !closed.get()) {
          // The recipe creates the nodes of a new session; one of the old session may linger.
          try {
            takeOver.execute(this::takeOverStaleNodes);
          } catch (RejectedExecutionException e) {
            // Closed meanwhile: nothing is to be registered any more.
          }
        }
      }
      case READ_ONLY -> {
        // Read-only mode is never asked for by this registry.
      }
    }
  }

  private void takeOverStaleNodes() {
    synchronized (lock) {
      if (closed.get()) {
        return;
      }
      for (String path : registrations.keySet()) {
        try {
          deleteIfStale(path);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception e) {
          log.warn(
              "Could not check {} for a node of an old session; trying on the next reconnection",
              path,
              e);
        }
      }
    }
  }

  /** One {@link #subscribe} call: a cache of the providers folder and the listener it feeds. */
  private final class CacheSubscription implements Subscription {

    private final ServiceName service;
    private final String folder;
    private final String childPrefix;
    private final Consumer<List<Provider>> listener;
    private final CuratorCache cache;
    // Paths whose data could not be read, so each is reported once and not on every change.
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();

    // Guarded by this.
    private boolean initialized;
    private boolean stopped;
    private List<Provider> last;

    CacheSubscription(ServiceName service, Consumer<List<Provider>> listener) {
      this.service = service;
      this.folder = providersPath(service);
      this.childPrefix = folder + "/";
      this.listener = listener;
      this.cache = CuratorCache.build(client, folder);
      cache
          .listenable()
          .addListener(
              CuratorCacheListener.builder()
                  .forInitialized(this::initialized)
                  .forAll((type, oldData, data) -> publish())
                  .build());
    }

    void start() {
      cache.start();
    }

    private void initialized() {
      synchronized (this) {
        initialized = true;
      }
      publish();
    }

    private void publish() {
      // Reading the cache under the lock keeps an older list from overtaking a newer one.
      synchronized (this) {
        if (!initialized || stopped) {
          return;
        }
        List<Provider> providers = providers();
        if (providers.equals(last)) {
          return;
        }
        last = providers;
        try {
          listener.accept(providers);
        } catch (RuntimeException e) {
          log.warn("Provider listener for {} failed", service, e);
        }
      }
    }

    /** The providers in the cache, by address; no ZooKeeper read. */
    private List<Provider> providers() {
      List<Provider> providers = new ArrayList<>();
      cache.stream()
          .filter(
              data ->
                  data.getPath().startsWith(childPrefix)
                      && data.getPath().indexOf('/', childPrefix.length()) < 0)
          .forEach(
              data -> {
                Provider provider = provider(data);
                if (provider != null) {
                  providers.add(provider);
                }
              });
      providers.sort(Comparator.comparing(Provider::address));
      return List.copyOf(providers);
    }

    private Provider provider(ChildData data) {
      String path = data.getPath();
      try {
        Provider provider = ProviderNode.fromJson(data.getData()).toProvider();
        unreadable.remove(path);
        return provider;
      } catch (IllegalArgumentException e) {
        // An older or foreign writer: the node's name still says where the provider is.
        String name = path.substring(childPrefix.length());
        try {
          Provider provider = Provider.parse(name);
          if (unreadable.add(path)) {
            log.warn(
                "Provider node {} has unreadable data, using its name: {}", path, e.toString());
          }
          return provider;
        } catch (IllegalArgumentException notAnAddress) {
          if (unreadable.add(path)) {
            log.warn("Ignoring provider node {}: {}", path, e.toString());
          }
          return null;
        }
      }
    }

    @Override
    public void close() {
      synchronized (this) {
        if (stopped) {
          return;
        }
        stopped = true;
      }
      subscriptions.remove(this);
      cache.close();
    }

    @Override
    public String toString() {
      return "Subscription{" + service + "}";
    }
  }

  /** Settings of a {@link ZooKeeperRegistry}; {@link #build()} makes it. */
  public static final class Builder {

    private String connectString;
    private CuratorFramework client;
    private Duration sessionTimeout;
    private Duration connectionTimeout;
    private RetryPolicy retryPolicy;

    private Builder() {}

    /**
     * The ZooKeeper servers, {@code host:port[,host:port...]}; the registry then builds, starts and
     * closes its own Curator client.
     */
    public Builder connectString(String connectString) {
      Objects.requireNonNull(connectString, "connectString");
      if (connectString.isBlank()) {
        throw new IllegalArgumentException("connectString must not be blank");
      }
      this.connectString = connectString;
      return this;
    }

    /**
     * A started Curator client to use instead of a connect string; the registry does not close it.
     * Its namespace, if any, is prefixed to every path.
     */
    public Builder client(CuratorFramework client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * How long ZooKeeper keeps the session, and so the provider nodes, of a process it no longer
     * hears from; 30 seconds by default. Only with {@link #connectString}.
     */
    public Builder sessionTimeout(Duration sessionTimeout) {
      this.sessionTimeout = positive(sessionTimeout, "sessionTimeout");
      return this;
    }

    /**
     * How long an operation waits for a connection before it fails or retries; 10 seconds by
     * default. Only with {@link #connectString}.
     */
    public Builder connectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = positive(connectionTimeout, "connectionTimeout");
      return this;
    }

    /**
     * How operations are retried after a connection loss; by default up to 3 retries after 200 ms,
     * 400 ms and 800 ms or so. Only with {@link #connectString}.
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * Makes the registry; with a connect string, starts its client without waiting for the
     * connection (the first operations wait for it).
     *
     * @throws IllegalArgumentException if neither or both of a connect string and a client were
     *     given, a timeout or retry policy was given with a client, or the client is not started
     */
    public ZooKeeperRegistry build() {
      if (client != null) {
        if (connectString != null) {
          throw new IllegalArgumentException(
              "give either connectString or client, not both: the client has its own servers");
        }
        if (sessionTimeout != null || connectionTimeout != null || retryPolicy != null) {
          throw new IllegalArgumentException(
              "sessionTimeout, connectionTimeout and retryPolicy apply only with connectString:"
                  + " configure them on the given client");
        }
        if (client.getState() != CuratorFrameworkState.STARTED) {
          throw new IllegalArgumentException(
              "client must be started, but it is " + client.getState());
        }
        return new ZooKeeperRegistry(client, false);
      }
      if (connectString == null) {
        throw new IllegalArgumentException("connectString or client is required");
      }
      CuratorFramework built =
          CuratorFrameworkFactory.builder()
              .connectString(connectString)
              .sessionTimeoutMs(millis(sessionTimeout, Duration.ofSeconds(30)))
              .connectionTimeoutMs(millis(connectionTimeout, Duration.ofSeconds(10)))
              .retryPolicy(retryPolicy != null ? retryPolicy : new ExponentialBackoffRetry(200, 3))
              .build();
      built.start();
      return new ZooKeeperRegistry(built, true);
    }

    private static Duration positive(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero() || duration.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            name + " must be positive and below 24 days: " + duration);
      }
      return duration;
    }

    private static int millis(Duration duration, Duration orElse) {
      return (int) (duration != null ? duration : orElse).toMillis();
    }
  }
}
