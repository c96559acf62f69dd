package io.minirpc.client;

import io.minirpc.CallOptions;
import io.minirpc.ClientInterceptor;
import io.minirpc.LoadBalancer;
import io.minirpc.MethodCodec;
import io.minirpc.Provider;
import io.minirpc.ProviderStates;
import io.minirpc.Registry;
import io.minirpc.Serializer;
import io.minirpc.ServiceName;
import io.minirpc.TransportStats;
import io.minirpc.cluster.RoundRobinLoadBalancer;
import io.minirpc.cluster.StaticRegistry;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.service.MethodDescriptor;
import io.minirpc.internal.service.PreparedService;
import io.minirpc.internal.service.ServiceDescriptor;
import io.minirpc.internal.transport.EventLoops;
import io.minirpc.internal.transport.TransportCounter;
import io.minirpc.internal.transport.WaterMarks;
import io.minirpc.serialize.KryoSerializer;
import io.minirpc.tls.ClientTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The caller's side of minirpc: makes stubs of {@link io.minirpc.RpcService} interfaces whose calls
 * go to the providers of that service.
 *
 * <pre>{@code
 * try (RpcClient client = RpcClient.builder().addresses("127.0.0.1:7070").build()) {
 *   UserService users = client.stub(UserService.class);
 *   User user = users.getUser(42);
 * }
 * }</pre>
 *
 * <p>A client is thread-safe and meant to be shared: it keeps one multiplexed connection per
 * provider (by default) for all its stubs. Closing it fails the calls still waiting with
 * UNAVAILABLE.
 */
public final class RpcClient implements AutoCloseable {

  private final Registry registry;
  private final boolean ownsRegistry;
  private final Serializer serializer;
  private final Duration timeout;
  private final EventLoopGroup group;
  private final ConnectionPool pool;
  private final HashedWheelTimer timer;
  // Calls the subscribers of response streams; shut down with the client unless it was given.
  private final Executor streamExecutor;
  private final ExecutorService ownStreamExecutor;
  private final CallPipeline pipeline;
  private final Map<Class<?>, PreparedService> prepared = new ConcurrentHashMap<>();
  private final Map<Class<?>, ServiceProviders> providers = new ConcurrentHashMap<>();
  // The providers of the services called generically, by name: no interface to key them by.
  private final Map<ServiceName, ServiceProviders> genericProviders = new ConcurrentHashMap<>();
  private final LoadBalancer loadBalancer;
  private final Map<ServiceName, LoadBalancer> serviceLoadBalancers;
  private final ProviderHealthTable health;
  private final TransportCounter traffic = new TransportCounter("minirpc");
  private final ProviderStates providerStates;
  private final Object closeLock = new Object();
  private volatile boolean closed;

  private RpcClient(Builder b) {
    this.registry = b.registry != null ? b.registry : StaticRegistry.of(b.addresses);
    this.ownsRegistry = b.registry == null;
    this.serializer = b.serializer != null ? b.serializer : KryoSerializer.create();
    this.timeout = b.timeout;
    this.loadBalancer = b.loadBalancer;
    this.serviceLoadBalancers = Map.copyOf(b.serviceLoadBalancers);
    this.health =
        new ProviderHealthTable(b.failureThreshold, b.circuitOpenTime, MAX_CIRCUIT_OPEN_TIME);
    EventLoops transport = EventLoops.best();
    this.group = transport.newGroup(b.ioThreads, "minirpc-client-io");
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(transport.socketChannel())
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, b.writeBufferWaterMark)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, b.connectTimeout.toMillis()));
    this.pool =
        new ConnectionPool(
            bootstrap,
            b.connectionsPerAddress,
            b.maxFrameSize,
            health,
            b.heartbeatInterval.toMillis(),
            b.heartbeatMisses,
            INITIAL_RECONNECT_DELAY.toNanos(),
            // Never longer than the circuit stays open: its probe must find a connect allowed.
            Math.min(MAX_RECONNECT_DELAY.toNanos(), b.circuitOpenTime.toNanos()),
            b.tls,
            traffic);
    this.providerStates = new KnownProviders(providers.values(), health);
    this.timer =
        new HashedWheelTimer(
            new DefaultThreadFactory("minirpc-client-deadlines", true), 10, TimeUnit.MILLISECONDS);
    if (b.streamExecutor != null) {
      this.streamExecutor = b.streamExecutor;
      this.ownStreamExecutor = null;
    } else {
      // Subscribers may block (a slow consumer's point): a thread each while they do, as
      // gRPC-java's default executor gives, rather than a loop that one of them could hold.
      this.ownStreamExecutor =
          Executors.newCachedThreadPool(new DefaultThreadFactory("minirpc-client-stream", true));
      this.streamExecutor = ownStreamExecutor;
    }
    ClientCalls calls =
        new ClientCalls(
            pool,
            timer,
            new RequestFrames(PooledByteBufAllocator.DEFAULT, serializer.id(), b.maxFrameSize),
            new RetryPolicy(
                health,
                new RetryBudget(100, 0.1),
                b.maxAttempts,
                b.attemptTimeout == null ? 0 : b.attemptTimeout.toNanos()),
            new Admission(b.maxCallsInFlight, timer, b.writeBufferWait.toNanos()),
            streamExecutor);
    this.pipeline = new CallPipeline(calls, timer, b.interceptors);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A stub of the service whose calls take their method's or this client's timeout. */
  public <T> T stub(Class<T> serviceInterface) {
    return stub(serviceInterface, CallOptions.DEFAULT);
  }

  /**
   * A stub of the service whose calls take these options. The interface is read and prepared once
   * per client; further stubs of it, with other options, are cheap.
   *
   * @throws IllegalArgumentException if the interface is not a valid service for this client's
   *     serializer; the message names the method
   * @throws IllegalStateException if the client is closed
   */
  public <T> T stub(Class<T> serviceInterface, CallOptions options) {
    Objects.requireNonNull(serviceInterface, "serviceInterface");
    Objects.requireNonNull(options, "options");
    failIfClosed();
    PreparedService service =
        prepared.computeIfAbsent(
            serviceInterface, type -> PreparedService.of(ServiceDescriptor.of(type), serializer));
    ServiceProviders serviceProviders =
        providers.computeIfAbsent(
            serviceInterface,
            type -> {
              ServiceName name = service.service().name();
              return new ServiceProviders(
                  name,
                  serializer.name(),
                  registry,
                  serviceLoadBalancers.getOrDefault(name, loadBalancer),
                  health,
                  pool);
            });
    if (closed) {
      // close() ran while these were being made, and may have missed them.
      serviceProviders.close();
      failIfClosed();
    }
    Map<java.lang.reflect.Method, BoundMethod> methods = new HashMap<>();
    for (MethodDescriptor m : service.service().methods()) {
      Duration t = options.timeout().orElse(m.timeout().orElse(timeout));
      methods.put(
          m.method(),
          new BoundMethod(
              m,
              service.codec(m),
              serviceProviders,
              t.toNanos(),
              options.deadline().orElse(null),
              options.attachments()));
    }
    String description =
        serviceInterface.getSimpleName()
            + " stub ("
            + service.service().name()
            + " via "
            + registry
            + ", "
            + serializer.name()
            + ")";
    Object proxy =
        Proxy.newProxyInstance(
            serviceInterface.getClassLoader(),
            new Class<?>[] {serviceInterface},
            new StubHandler(serviceInterface, methods, pipeline, description));
    return serviceInterface.cast(proxy);
  }

  /**
   * Makes a generic call (see {@link GenericClient}) through the same pipeline as a stub's calls:
   * the interceptors, the deadline, provider selection, retries as for a method not {@code
   * Idempotent}.
   *
   * @param arguments the one argument the generic codec writes: the call's JSON array
   * @return the JSON result, or its future when {@code async}
   */
  Object callGeneric(
      ServiceName service,
      String methodName,
      boolean async,
      CallOptions options,
      MethodCodec codec,
      Object[] arguments) {
    failIfClosed();
    ServiceProviders serviceProviders =
        genericProviders.computeIfAbsent(
            service,
            name ->
                new ServiceProviders(
                    name,
                    serializer.name(),
                    registry,
                    serviceLoadBalancers.getOrDefault(name, loadBalancer),
                    health,
                    pool));
    if (closed) {
      serviceProviders.close();
      failIfClosed();
    }
    BoundMethod method =
        new BoundMethod(
            MethodDescriptor.generic(service, methodName, async),
            codec,
            serviceProviders,
            options.timeout().orElse(timeout).toNanos(),
            options.deadline().orElse(null),
            options.attachments());
    return pipeline.call(method, arguments);
  }

  private void failIfClosed() {
    if (closed) {
      throw new IllegalStateException(
          "the client is closed; a closed client makes no stubs, build a new one");
    }
  }

  /** The serializer this client writes its requests with. */
  public Serializer serializer() {
    return serializer;
  }

  /**
   * The calls this client has sent and is still waiting for, over all its connections: a gauge for
   * monitoring, which stays near the number of concurrent callers under a steady load.
   */
  public int pendingCalls() {
    return pool.pendingCalls();
  }

  /**
   * The connections and bytes of this client, live, for monitoring: the bytes as read from and
   * written to the sockets (TLS records, if TLS is on, rather than the frames inside them).
   */
  public TransportStats transportStats() {
    return traffic;
  }

  /**
   * The providers this client knows and what it makes of each (available, circuit open, going away,
   * ...), live, for monitoring.
   */
  public ProviderStates providerStates() {
    return providerStates;
  }

  /**
   * Closes the connections, failing the calls still waiting with UNAVAILABLE, and stops the
   * client's threads. Calling it again does nothing.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    providers.values().forEach(ServiceProviders::close);
    genericProviders.values().forEach(ServiceProviders::close);
    pool.close();
    EventLoops.shutdown(group);
    timer.stop();
    if (ownStreamExecutor != null) {
      ownStreamExecutor.shutdown();
    }
    if (ownsRegistry) {
      registry.close();
    }
  }

  /** The longest a circuit stays open, however often its probes fail. */
  private static final Duration MAX_CIRCUIT_OPEN_TIME = Duration.ofSeconds(30);

  /** The wait before connecting again to an address after a connect to it failed. */
  private static final Duration INITIAL_RECONNECT_DELAY = Duration.ofMillis(100);

  /** The longest wait before connecting again, however often connects failed. */
  private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(10);

  /** Configures an {@link RpcClient}. */
  public static final class Builder {
    private final List<Provider> addresses = new ArrayList<>();
    private Registry registry;
    private Serializer serializer;
    private Duration timeout = Duration.ofSeconds(3);
    private Duration connectTimeout = Duration.ofSeconds(3);
    private int connectionsPerAddress = 1;
    private int maxFrameSize = FrameHeader.DEFAULT_MAX_BODY_SIZE;
    private int ioThreads = 1;
    private Executor streamExecutor;
    private LoadBalancer loadBalancer = RoundRobinLoadBalancer.create();
    private final Map<ServiceName, LoadBalancer> serviceLoadBalancers = new HashMap<>();
    private int maxAttempts = 3;
    private Duration attemptTimeout;
    private int failureThreshold = 5;
    private Duration circuitOpenTime = Duration.ofSeconds(1);
    private Duration heartbeatInterval = Duration.ofSeconds(10);
    private int heartbeatMisses = 3;
    private WriteBufferWaterMark writeBufferWaterMark = WaterMarks.DEFAULT;
    private Duration writeBufferWait = Duration.ofMillis(100);
    private int maxCallsInFlight;
    private ClientTls tls;
    private final List<ClientInterceptor> interceptors = new ArrayList<>();

    private Builder() {}

    /**
     * The most calls this client has in flight at once, over all its stubs, providers and
     * connections; no limit when not set. A call past it waits for another to end, within its own
     * deadline, as with Dubbo's {@code actives} or a gRPC channel at the server's stream limit, and
     * fails with RESOURCE_EXHAUSTED, not sent, if none ends in time. An async call waits without
     * blocking its caller. Retries of a call go on under the permit it holds.
     */
    public Builder maxCallsInFlight(int maxCallsInFlight) {
      if (maxCallsInFlight < 1) {
        throw new IllegalArgumentException(
            "maxCallsInFlight must be positive: " + maxCallsInFlight);
      }
      this.maxCallsInFlight = maxCallsInFlight;
      return this;
    }

    /**
     * How much may wait to be sent on one connection: once more than {@code highBytes} of requests
     * are queued on it (the server or the network reads slower than calls are made), new calls wait
     * for it to drain below {@code lowBytes}, for up to {@link #writeBufferWait(Duration)}; 512 KiB
     * and 1 MiB when not set.
     */
    public Builder writeBufferWaterMark(int lowBytes, int highBytes) {
      this.writeBufferWaterMark = WaterMarks.of(lowBytes, highBytes);
      return this;
    }

    /**
     * How long a new call waits for room on a connection whose write buffer is over its high water
     * mark (never past the call's deadline) before it fails with RESOURCE_EXHAUSTED, not sent; 100
     * ms when not set. A blocking call, and an async call made outside the client's event loops,
     * waits in the caller's thread, which slows down a caller who calls faster than the connection
     * sends; other async calls wait without blocking any thread.
     */
    public Builder writeBufferWait(Duration writeBufferWait) {
      Objects.requireNonNull(writeBufferWait, "writeBufferWait");
      if (writeBufferWait.isNegative()) {
        throw new IllegalArgumentException(
            "writeBufferWait must not be negative: " + writeBufferWait);
      }
      this.writeBufferWait = writeBufferWait;
      return this;
    }

    /**
     * Connects to providers over TLS only, with these settings (the server's certificate checked,
     * its host name verified, this client's certificate presented if it has one). Plain TCP when
     * not set.
     */
    public Builder tls(ClientTls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * Wraps every call of this client's stubs in these interceptors, inside those added before (the
     * first added is the outermost): they see each call's request and outcome, and may add
     * attachments such as a credential ({@code io.minirpc.auth.HmacCredentials}) or a trace
     * context. See {@link ClientInterceptor}.
     */
    public Builder intercept(ClientInterceptor... interceptors) {
      for (ClientInterceptor i : interceptors) {
        this.interceptors.add(Objects.requireNonNull(i, "interceptor"));
      }
      return this;
    }

    /** How calls are spread over a service's providers; round robin when not set. */
    public Builder loadBalancer(LoadBalancer loadBalancer) {
      this.loadBalancer = Objects.requireNonNull(loadBalancer, "loadBalancer");
      return this;
    }

    /** How calls of one service are spread over its providers, overriding the client's choice. */
    public Builder loadBalancer(Class<?> serviceInterface, LoadBalancer loadBalancer) {
      serviceLoadBalancers.put(
          ServiceName.of(serviceInterface), Objects.requireNonNull(loadBalancer, "loadBalancer"));
      return this;
    }

    /**
     * The most providers one call may be tried on, the first attempt included; 3 when not set. See
     * {@link io.minirpc.Idempotent} for which failures are retried.
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be positive: " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The time one attempt of an {@link io.minirpc.Idempotent} method may take before it is
     * abandoned and retried on another provider, within the call's own timeout; when not set, an
     * attempt may take the call's whole timeout.
     */
    public Builder attemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = positive(attemptTimeout, "attemptTimeout");
      return this;
    }

    /**
     * Opens a provider's circuit after this many consecutive failures (UNAVAILABLE or
     * DEADLINE_EXCEEDED), for {@code openTime} at first and twice as long after each failed probe,
     * up to 30 seconds; 5 failures and 1 second when not set.
     */
    public Builder circuitBreaker(int failureThreshold, Duration openTime) {
      if (failureThreshold < 1) {
        throw new IllegalArgumentException(
            "failureThreshold must be positive: " + failureThreshold);
      }
      this.failureThreshold = failureThreshold;
      this.circuitOpenTime = positive(openTime, "openTime");
      return this;
    }

    /**
     * How long a connection may read nothing before it sends a heartbeat ping; 10 seconds when not
     * set. {@link Duration#ZERO} sends none, and then a stalled connection is only noticed by the
     * calls' deadlines (and by the server's idle timeout). See {@link #heartbeatMisses(int)}.
     */
    public Builder heartbeatInterval(Duration heartbeatInterval) {
      Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
      if (heartbeatInterval.isNegative()) {
        throw new IllegalArgumentException(
            "heartbeatInterval must not be negative: " + heartbeatInterval);
      }
      if (!heartbeatInterval.isZero() && heartbeatInterval.toMillis() < 1) {
        throw new IllegalArgumentException(
            "heartbeatInterval must be at least 1 ms: " + heartbeatInterval);
      }
      this.heartbeatInterval = heartbeatInterval;
      return this;
    }

    /**
     * How many heartbeat pings in a row may go a whole interval unanswered (nothing at all read)
     * before the connection is closed, failing its pending calls with UNAVAILABLE; 3 when not set,
     * so with the default interval a stalled connection is closed after 40 seconds of silence. The
     * next call opens a new connection.
     */
    public Builder heartbeatMisses(int heartbeatMisses) {
      if (heartbeatMisses < 1) {
        throw new IllegalArgumentException("heartbeatMisses must be positive: " + heartbeatMisses);
      }
      this.heartbeatMisses = heartbeatMisses;
      return this;
    }

    /** Connects directly to providers at these {@code host:port} addresses. */
    public Builder addresses(String... addresses) {
      for (String address : addresses) {
        this.addresses.add(Provider.parse(address));
      }
      return this;
    }

    /** Finds providers through this registry instead of fixed addresses. */
    public Builder registry(Registry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The serializer of this client's requests; Kryo when not set. */
    public Builder serializer(Serializer serializer) {
      this.serializer = Objects.requireNonNull(serializer, "serializer");
      return this;
    }

    /** The timeout of calls whose method and stub set none; 3 seconds when not set. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** How long opening a connection may take; 3 seconds when not set. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** Connections opened to each provider; 1 when not set, which suits most loads. */
    public Builder connectionsPerAddress(int connectionsPerAddress) {
      if (connectionsPerAddress < 1) {
        throw new IllegalArgumentException(
            "connectionsPerAddress must be positive: " + connectionsPerAddress);
      }
      this.connectionsPerAddress = connectionsPerAddress;
      return this;
    }

    /** The largest frame body sent or accepted, in bytes; 8 MiB when not set. */
    public Builder maxFrameSize(int maxFrameSize) {
      if (maxFrameSize < 1024) {
        throw new IllegalArgumentException("maxFrameSize must be at least 1024: " + maxFrameSize);
      }
      this.maxFrameSize = maxFrameSize;
      return this;
    }

    /**
     * Where the subscribers of response streams get their items, one signal at a time per stream.
     * When not set, a pool of daemon threads that grows as subscribers block and shrinks after a
     * minute idle, shut down with the client; a given executor is left running.
     */
    public Builder streamExecutor(Executor streamExecutor) {
      this.streamExecutor = Objects.requireNonNull(streamExecutor, "streamExecutor");
      return this;
    }

    /** Event loop threads for the client's connections; 1 when not set. */
    public Builder ioThreads(int ioThreads) {
      if (ioThreads < 1) {
        throw new IllegalArgumentException("ioThreads must be positive: " + ioThreads);
      }
      this.ioThreads = ioThreads;
      return this;
    }

    /**
     * A client of these settings.
     *
     * @throws IllegalArgumentException if neither addresses nor a registry were given, or both
     */
    public RpcClient build() {
      if (registry == null && addresses.isEmpty()) {
        throw new IllegalArgumentException("give the providers' addresses or a registry");
      }
      if (registry != null && !addresses.isEmpty()) {
        throw new IllegalArgumentException("give either addresses or a registry, not both");
      }
      return new RpcClient(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
