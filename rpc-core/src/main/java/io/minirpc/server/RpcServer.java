package io.minirpc.server;

import io.minirpc.Provider;
import io.minirpc.Registry;
import io.minirpc.RpcService;
import io.minirpc.Serializer;
import io.minirpc.ServerInterceptor;
import io.minirpc.ServiceName;
import io.minirpc.TransportStats;
import io.minirpc.health.Health;
import io.minirpc.http.RestBridge;
import io.minirpc.http.ServiceListing;
import io.minirpc.internal.dispatch.ExportedService;
import io.minirpc.internal.dispatch.InFlightCalls;
import io.minirpc.internal.dispatch.ServerCall;
import io.minirpc.internal.dispatch.ServerDispatcher;
import io.minirpc.internal.dispatch.ServerInterceptors;
import io.minirpc.internal.protocol.AttachmentLimits;
import io.minirpc.internal.protocol.FrameDecoder;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.service.ServiceDescriptor;
import io.minirpc.internal.tls.PlaintextAnswer;
import io.minirpc.internal.tls.TlsHandlers;
import io.minirpc.internal.transport.EventLoops;
import io.minirpc.internal.transport.TransportCounter;
import io.minirpc.internal.transport.WaterMarks;
import io.minirpc.reflection.Reflection;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.serialize.KryoSerializer;
import io.minirpc.serialize.ProtobufSerializer;
import io.minirpc.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's side of minirpc: serves implementations of {@link RpcService} interfaces to
 * callers over the minirpc protocol.
 *
 * <pre>{@code
 * try (RpcServer server = RpcServer.builder().port(7070).addService(new UserServiceImpl()).build()) {
 *   server.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Service methods run on a bounded business executor (or, when asked, on the I/O thread); a
 * request that finds the executor full is answered RESOURCE_EXHAUSTED at once. The server accepts
 * every serializer it has for every service that serializer can carry.
 *
 * <p>Every server also serves the {@link Health} service, not announced in the registry; {@link
 * #health()} sets what it answers. Unless built with {@link Builder#reflection(boolean)
 * reflection(false)}, it serves the {@link Reflection} service too, also unannounced, which lists
 * the services it exports (the REST bridge's {@code GET /} document).
 *
 * <p>With {@link Builder#restPort(int)}, the server also serves the same services over HTTP/1.1 and
 * JSON on a second port ({@code POST /<service key>/<method>}, and {@code GET /health}, see
 * docs/REST.md). With {@link Builder#tls(ServerTls)}, both ports speak TLS only (see
 * docs/SECURITY.md).
 */
public final class RpcServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

  private final String host;
  private final int requestedPort;
  private final Registry registry;
  private final String advertisedHost;
  private final int weight;
  private final Duration idleTimeout;
  private final boolean shutdownHook;
  private final List<ServiceName> serviceNames;
  private final InFlightCalls inFlight = new InFlightCalls();
  private Provider registeredAs;
  private Thread hook;
  private final int maxFrameSize;
  private final WriteBufferWaterMark writeBufferWaterMark;
  private final AttachmentLimits attachmentLimits;
  private final ServerDispatcher dispatcher;
  private final ExportedServices services;
  private final ServerHealth health;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final WorkerPool ownExecutor;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ConnectionDrain drain;
  private final EventLoops transport = EventLoops.best();
  private final Object lifecycleLock = new Object();
  private final int requestedRestPort;
  private final RestBridge rest;
  private final TransportCounter rpcTraffic = new TransportCounter("minirpc");
  private final TransportCounter restTraffic;
  private final ServerTls tls;
  private Channel serverChannel;
  private Channel restChannel;
  private boolean closed;

  private RpcServer(Builder b) {
    this.host = b.host;
    this.requestedPort = b.port;
    this.registry = b.registry;
    this.advertisedHost = b.advertisedHost;
    this.weight = b.weight;
    this.idleTimeout = b.idleTimeout;
    this.shutdownHook = b.shutdownHook;
    this.serviceNames = b.services.keySet().stream().map(ServiceName::of).toList();
    this.maxFrameSize = b.maxFrameSize;
    this.writeBufferWaterMark = b.writeBufferWaterMark;
    this.attachmentLimits = new AttachmentLimits(b.maxAttachments, b.maxAttachmentBytes);
    List<Serializer> serializers = b.serializers.isEmpty() ? defaultSerializers() : b.serializers;
    this.services = new ExportedServices(serializers);
    b.services.forEach(
        (type, impl) ->
            services.export(
                ServiceDescriptor.of(type),
                impl,
                b.maxServiceCalls.getOrDefault(type, 0),
                b.maxMethodCalls.getOrDefault(type, Map.of())));
    // The REST bridge answers health as GET /health, not as a call of the service.
    List<ExportedService> restServices = services.exported();
    this.health = new ServerHealth(services.serviceKeys());
    services.exportBuiltIn(ServiceDescriptor.of(Health.class), health);
    Serializer json = jsonSerializer(serializers);
    if (b.reflection) {
      // The same document as the REST bridge's GET /, rendered whether or not it has a REST port.
      services.exportBuiltIn(
          ServiceDescriptor.of(Reflection.class),
          new ServerReflection(ServiceListing.render(restServices, json, b.restTimeout)));
    }
    Executor executor;
    if (b.directExecutor) {
      this.ownExecutor = null;
      executor = Runnable::run;
    } else {
      this.ownExecutor =
          new WorkerPool(
              b.workerThreads, b.workerQueueSize, new DefaultThreadFactory("minirpc-worker", true));
      executor = ownExecutor;
    }
    this.dispatcher = new ServerDispatcher(executor, ServerInterceptors.of(b.interceptors));
    this.requestedRestPort = b.restPort;
    this.tls = b.tls;
    this.rest =
        b.restPort < 0
            ? null
            : RestBridge.of(
                restServices,
                health,
                json,
                dispatcher,
                inFlight,
                maxFrameSize,
                b.restTimeout,
                attachmentLimits,
                b.reflection);
    this.restTraffic = rest == null ? null : new TransportCounter("http");
    this.bossGroup = transport.newGroup(1, "minirpc-server-accept");
    this.workerGroup = transport.newGroup(b.ioThreads, "minirpc-server-io");
    this.drain = new ConnectionDrain(channels, workerGroup, inFlight, b.gracePeriod);
  }

  private static List<Serializer> defaultSerializers() {
    return List.of(KryoSerializer.create(), ProtobufSerializer.create(), JsonSerializer.create());
  }

  /** The server's own JSON serializer, with its mapper, if it has one; else a default one. */
  private static Serializer jsonSerializer(List<Serializer> serializers) {
    for (Serializer s : serializers) {
      if (s instanceof JsonSerializer) {
        return s;
      }
    }
    return JsonSerializer.create();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts serving. Calling it again does nothing.
   *
   * @return this server
   * @throws IllegalStateException if the server was closed or the port cannot be bound
   */
  public RpcServer start() {
    synchronized (lifecycleLock) {
      if (closed) {
        throw new IllegalStateException("the server is closed");
      }
      if (serverChannel != null) {
        return this;
      }
      Channel rpc =
          bind(
              requestedPort,
              PlaintextAnswer.MINIRPC,
              rpcTraffic,
              ch -> {
                if (!idleTimeout.isZero()) {
                  // Any byte read counts: a client busy sending requests needs no pings.
                  ch.pipeline()
                      .addLast(
                          new IdleStateHandler(idleTimeout.toNanos(), 0, 0, TimeUnit.NANOSECONDS));
                }
                ch.pipeline()
                    .addLast(
                        ReadPausingHandler.INSTANCE,
                        new FrameDecoder(maxFrameSize),
                        new ServerHandler(
                            services, dispatcher, inFlight, maxFrameSize, attachmentLimits));
              });
      if (rest != null) {
        try {
          restChannel =
              bind(
                  requestedRestPort,
                  PlaintextAnswer.HTTP,
                  restTraffic,
                  ch -> {
                    if (!idleTimeout.isZero()) {
                      // HTTP clients send no pings: the bridge closes a silent connection only
                      // when it owes it no answer (see RestConnectionHandler).
                      ch.pipeline()
                          .addLast(
                              new IdleStateHandler(
                                  idleTimeout.toNanos(), 0, 0, TimeUnit.NANOSECONDS));
                    }
                    rest.initChannel(ch);
                  });
        } catch (IllegalStateException e) {
          rpc.close().syncUninterruptibly();
          throw e;
        }
      }
      serverChannel = rpc;
      if (shutdownHook) {
        hook = new Thread(this::close, "minirpc-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
      }
    }
    register();
    return this;
  }

  /**
   * Listens on a port; each connection it accepts joins {@link #channels}, behind TLS if it is on.
   *
   * @param plaintextAnswer what the port tells a client that does not speak TLS when TLS is on
   * @param traffic counts the port's connections and bytes, next to the socket (before TLS)
   */
  private Channel bind(
      int port,
      PlaintextAnswer plaintextAnswer,
      TransportCounter traffic,
      Consumer<Channel> pipeline) {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(transport.serverSocketChannel())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, writeBufferWaterMark)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    channels.add(ch);
                    ch.pipeline().addFirst(traffic);
                    if (tls != null) {
                      TlsHandlers.addServerSide(ch, tls, plaintextAnswer);
                    }
                    pipeline.accept(ch);
                  }
                });
    try {
      return bootstrap.bind(host, port).syncUninterruptibly().channel();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** Announces every exported service, now that the port is known. */
  private void register() {
    if (registry == null) {
      return;
    }
    Provider provider = new Provider(advertisedHost(), port(), weight);
    try {
      for (ServiceName service : serviceNames) {
        // Callers learn which serializers this server can carry each service with.
        registry.register(
            service, provider.withSerializers(services.serializerNames(service.key())));
      }
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("cannot register " + provider + ": " + e.getMessage(), e);
    }
    synchronized (lifecycleLock) {
      registeredAs = provider;
    }
  }

  /**
   * The host callers should connect to: the one configured, else the bind address, unless that is a
   * wildcard, which no caller can connect to: then this machine's address.
   */
  private String advertisedHost() {
    if (advertisedHost != null) {
      return advertisedHost;
    }
    InetAddress bound = ((InetSocketAddress) serverChannel.localAddress()).getAddress();
    if (!bound.isAnyLocalAddress()) {
      return bound.getHostAddress();
    }
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(
          "cannot tell this machine's address to advertise; set advertisedHost(..)", e);
    }
  }

  /**
   * The port the server listens on: the one it was given, or the one the system chose for port 0.
   *
   * @throws IllegalStateException if the server is not started
   */
  public int port() {
    synchronized (lifecycleLock) {
      if (serverChannel == null) {
        throw new IllegalStateException("the server is not started");
      }
      return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }
  }

  /**
   * The port the REST bridge listens on: the one it was given, or the one the system chose for 0.
   *
   * @throws IllegalStateException if the bridge is not enabled, or the server is not started
   */
  public int restPort() {
    synchronized (lifecycleLock) {
      if (rest == null) {
        throw new IllegalStateException(
            "the REST bridge is not enabled; enable it with RpcServer.builder().restPort(..)");
      }
      if (restChannel == null) {
        throw new IllegalStateException("the server is not started");
      }
      return ((InetSocketAddress) restChannel.localAddress()).getPort();
    }
  }

  /**
   * The serving status of the server and of each service it exports, which its {@link Health}
   * service answers: set one NOT_SERVING while it cannot serve, SERVING again once it can.
   */
  public ServerHealth health() {
    return health;
  }

  /**
   * The calls this server has accepted and not finished answering, over the minirpc protocol and
   * the REST bridge together: a gauge for monitoring.
   */
  public int inFlightCalls() {
    return inFlight.count();
  }

  /**
   * The connections and bytes of the minirpc port, live, for monitoring: the bytes as read from and
   * written to the sockets (TLS records, if TLS is on, rather than the frames inside them). The
   * view may be taken before {@link #start()}; its figures start at zero then.
   */
  public TransportStats transportStats() {
    return rpcTraffic;
  }

  /**
   * The connections and bytes of the REST bridge's port, live, as {@link #transportStats()} gives
   * them for the minirpc port: HTTP requests and answers, headers and all.
   *
   * @throws IllegalStateException if the bridge is not enabled
   */
  public TransportStats restTransportStats() {
    if (restTraffic == null) {
      throw new IllegalStateException(
          "the REST bridge is not enabled; enable it with RpcServer.builder().restPort(..)");
    }
    return restTraffic;
  }

  /**
   * Shuts the server down gracefully: turns its {@link #health()} NOT_SERVING, withdraws it from
   * the registry, stops accepting connections, tells every connected client that it is going away
   * (they send no new calls here, and a call that crosses that message on the wire is refused as
   * not run, so that it can go to another provider), lets the calls in flight finish and waits for
   * the clients to close their connections, which they do once they have their answers, for up to
   * the grace period all told; then closes the connections left and stops the server's threads. The
   * REST bridge closes with it: it stops accepting, answers the requests it has, and closes each
   * HTTP connection after its last answer. Calling it again does nothing.
   *
   * <p>Health checks answer NOT_SERVING while the server withdraws from the registry. Once its
   * ports stop accepting, no new health check reaches it: a new connection is refused, a new call
   * on an open minirpc connection is refused UNAVAILABLE as not run, an open HTTP connection takes
   * no new request and closes after its last answer. A probe counts each of these as a failure, as
   * it does NOT_SERVING; {@link #health()} answers NOT_SERVING in the process throughout.
   */
  @Override
  public void close() {
    Provider provider;
    synchronized (lifecycleLock) {
      if (closed) {
        return;
      }
      closed = true;
      provider = registeredAs;
    }
    // First, so that a probe that reaches the server from now on learns it is going.
    health.enterTerminalState();
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down already; the hook is this very close, or will find it done.
      }
    }
    if (provider != null) {
      for (ServiceName service : serviceNames) {
        try {
          registry.unregister(
              service, provider.withSerializers(services.serializerNames(service.key())));
        } catch (RuntimeException e) {
          log.warn("Could not unregister {} for {}: {}", provider, service, e.getMessage());
        }
      }
    }
    if (serverChannel == null) {
      drain.drain();
    } else if (restChannel == null) {
      drain.drain(serverChannel);
    } else {
      drain.drain(serverChannel, restChannel);
    }
    EventLoops.shutdown(bossGroup);
    EventLoops.shutdown(workerGroup);
    if (ownExecutor != null) {
      // Calls still queued now will never run: their request buffers must be freed here. The
      // other tasks, handing stream items to services, hold no buffer: their streams ended with
      // their connections.
      for (Runnable never : ownExecutor.shutdownNow()) {
        if (never instanceof ServerCall call) {
          call.abandon();
        }
      }
    }
  }

  /** How long a connection may send nothing before the server closes it, unless configured. */
  private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** Configures an {@link RpcServer}. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 0;
    private final Map<Class<?>, Object> services = new LinkedHashMap<>();
    private final Map<Class<?>, Integer> maxServiceCalls = new HashMap<>();
    private final Map<Class<?>, Map<String, Integer>> maxMethodCalls = new HashMap<>();
    private final List<Serializer> serializers = new ArrayList<>();
    private int maxFrameSize = FrameHeader.DEFAULT_MAX_BODY_SIZE;
    private WriteBufferWaterMark writeBufferWaterMark = WaterMarks.DEFAULT;
    private int workerThreads = 64;
    private int workerQueueSize = 1024;
    private boolean directExecutor;
    private int ioThreads = 0;
    private Registry registry;
    private String advertisedHost;
    private int weight = Provider.DEFAULT_WEIGHT;
    private Duration gracePeriod = Duration.ofSeconds(10);
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private boolean shutdownHook;
    private int restPort = -1;
    private Duration restTimeout = Duration.ofSeconds(3);
    private boolean reflection = true;
    private ServerTls tls;
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private int maxAttachments = AttachmentLimits.DEFAULT.maxCount();
    private int maxAttachmentBytes = AttachmentLimits.DEFAULT.maxBytes();

    private Builder() {}

    /**
     * Serves the minirpc port and the REST bridge's port over TLS only, with these settings (mutual
     * TLS if they require client authentication); plain connections are refused. Plain TCP when not
     * set.
     */
    public Builder tls(ServerTls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * Wraps every call in these interceptors, inside those added before (the first added is the
     * outermost), over the minirpc protocol and the REST bridge alike, the REST service listing and
     * health checks included: each sees the call before its arguments are decoded, may refuse it or
     * pass it on, and sees its outcome. See {@link ServerInterceptor}, and {@code
     * io.minirpc.auth.HmacAuthenticator} for authentication.
     */
    public Builder intercept(ServerInterceptor... interceptors) {
      for (ServerInterceptor i : interceptors) {
        this.interceptors.add(Objects.requireNonNull(i, "interceptor"));
      }
      return this;
    }

    /**
     * The most attachments one request may carry; 64 when not set. A request with more is answered
     * RESOURCE_EXHAUSTED (over REST: 431) before it reaches any interceptor.
     */
    public Builder maxAttachments(int maxAttachments) {
      if (maxAttachments < 0 || maxAttachments > 0xFFFF) {
        throw new IllegalArgumentException(
            "maxAttachments must be within 0 and 65535: " + maxAttachments);
      }
      this.maxAttachments = maxAttachments;
      return this;
    }

    /**
     * The most bytes the keys and values of one request's attachments may take all told (UTF-8); 8
     * KiB when not set. A request with more is answered RESOURCE_EXHAUSTED (over REST: 431).
     */
    public Builder maxAttachmentBytes(int maxAttachmentBytes) {
      if (maxAttachmentBytes < 0) {
        throw new IllegalArgumentException(
            "maxAttachmentBytes must not be negative: " + maxAttachmentBytes);
      }
      this.maxAttachmentBytes = maxAttachmentBytes;
      return this;
    }

    /**
     * Announces the server's services in this registry once it listens, and withdraws them first
     * thing when it closes. The registry stays open: close it after the server.
     */
    public Builder registry(Registry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The host callers are told to connect to; when not set, the bind address, or this machine's
     * address when bound to all interfaces.
     */
    public Builder advertisedHost(String advertisedHost) {
      this.advertisedHost = Objects.requireNonNull(advertisedHost, "advertisedHost");
      return this;
    }

    /**
     * This provider's share of calls relative to others; {@value Provider#DEFAULT_WEIGHT} when not
     * set.
     */
    public Builder weight(int weight) {
      if (weight < 1) {
        throw new IllegalArgumentException("weight must be positive: " + weight);
      }
      this.weight = weight;
      return this;
    }

    /** How long {@link RpcServer#close()} waits for calls in flight; 10 seconds when not set. */
    public Builder gracePeriod(Duration gracePeriod) {
      Objects.requireNonNull(gracePeriod, "gracePeriod");
      if (gracePeriod.isNegative()) {
        throw new IllegalArgumentException("gracePeriod must not be negative: " + gracePeriod);
      }
      this.gracePeriod = gracePeriod;
      return this;
    }

    /**
     * Closes a connection from which nothing (no request, no ping) has arrived for this long: its
     * client is gone or cut off. {@link Duration#ZERO} never closes an idle connection; 60 seconds
     * when not set, well above what an {@code RpcClient} with default settings stays silent (it
     * pings every 10 seconds while it reads nothing). Keep it above the clients' heartbeat
     * interval.
     *
     * <p>The REST bridge's port applies it too, to keep-alive connections with no request: one
     * waiting for its answers is left open however long the service takes (its deadline bounds
     * that), and one whose request stopped arriving half-way is answered 408 and closed.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      if (idleTimeout.isNegative()) {
        throw new IllegalArgumentException("idleTimeout must not be negative: " + idleTimeout);
      }
      this.idleTimeout = idleTimeout;
      return this;
    }

    /** Closes the server gracefully when the JVM shuts down (on SIGTERM, say). */
    public Builder shutdownHook(boolean shutdownHook) {
      this.shutdownHook = shutdownHook;
      return this;
    }

    /** The address to listen on; all interfaces ({@code 0.0.0.0}) when not set. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to listen on; 0, a free port chosen by the system, when not set. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be within 0 and 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Whether to serve the {@link Reflection} service on the minirpc port and the service listing
     * ({@code GET /}) on the REST port; both are on when not set. The listing tells anyone who may
     * call the server what it exports: switch it off where that must not be disclosed, or refuse it
     * in an interceptor (calls of it pass the interceptors as method {@code listServices} or {@code
     * describe} of service {@value Reflection#SERVICE}). Off, the service is not exported: its
     * calls fail NOT_FOUND, and {@code GET /} answers 404.
     */
    public Builder reflection(boolean reflection) {
      this.reflection = reflection;
      return this;
    }

    /**
     * Also serves the services over HTTP/1.1 and JSON on this port (0: a free port chosen by the
     * system; see {@link RpcServer#restPort()}), bound on the same {@link #host}. Not served when
     * not set. docs/REST.md describes the requests and answers.
     */
    public Builder restPort(int restPort) {
      if (restPort < 0 || restPort > 65_535) {
        throw new IllegalArgumentException("restPort must be within 0 and 65535: " + restPort);
      }
      this.restPort = restPort;
      return this;
    }

    /**
     * The deadline of a REST call to a method without {@code @CallTimeout} when the request does
     * not set one with the {@code X-Minirpc-Timeout-Ms} header; 3 seconds, as for an {@code
     * RpcClient}, when not set.
     */
    public Builder restTimeout(Duration restTimeout) {
      Objects.requireNonNull(restTimeout, "restTimeout");
      if (restTimeout.isNegative() || restTimeout.isZero()) {
        throw new IllegalArgumentException("restTimeout must be positive: " + restTimeout);
      }
      this.restTimeout = restTimeout;
      return this;
    }

    /**
     * Exports every {@link RpcService} interface the implementation implements.
     *
     * @throws IllegalArgumentException if it implements none
     */
    public Builder addService(Object implementation) {
      Objects.requireNonNull(implementation, "implementation");
      List<Class<?>> found = new ArrayList<>();
      collectServiceInterfaces(implementation.getClass(), found);
      if (found.isEmpty()) {
        throw new IllegalArgumentException(
            implementation.getClass().getName()
                + " implements no interface annotated with @"
                + RpcService.class.getSimpleName());
      }
      for (Class<?> type : found) {
        export(type, implementation);
      }
      return this;
    }

    /**
     * Exports one service interface of an implementation.
     *
     * @throws IllegalArgumentException if it is exported already
     */
    public <T> Builder addService(Class<T> serviceInterface, T implementation) {
      Objects.requireNonNull(serviceInterface, "serviceInterface");
      Objects.requireNonNull(implementation, "implementation");
      return export(serviceInterface, implementation);
    }

    private Builder export(Class<?> serviceInterface, Object implementation) {
      if (!serviceInterface.isInstance(implementation)) {
        throw new IllegalArgumentException(
            implementation.getClass().getName()
                + " does not implement "
                + serviceInterface.getName());
      }
      // Fails here, in the builder, when the interface itself is not a valid service.
      ServiceDescriptor descriptor = ServiceDescriptor.of(serviceInterface);
      if (descriptor.name().name().equals(Health.SERVICE)) {
        throw new IllegalArgumentException(
            serviceInterface.getName()
                + " is named "
                + Health.SERVICE
                + ", the name of the health service every server serves by itself");
      }
      if (descriptor.name().name().equals(Reflection.SERVICE)) {
        throw new IllegalArgumentException(
            serviceInterface.getName()
                + " is named "
                + Reflection.SERVICE
                + ", the name of the reflection service every server may serve by itself");
      }
      if (services.putIfAbsent(serviceInterface, implementation) != null) {
        throw new IllegalArgumentException(serviceInterface.getName() + " is added twice");
      }
      return this;
    }

    private static Set<Class<?>> union(Set<Class<?>> a, Set<Class<?>> b) {
      Set<Class<?>> all = new HashSet<>(a);
      all.addAll(b);
      return all;
    }

    private static void collectServiceInterfaces(Class<?> type, List<Class<?>> found) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        for (Class<?> i : c.getInterfaces()) {
          collectFromInterface(i, found);
        }
      }
    }

    private static void collectFromInterface(Class<?> i, List<Class<?>> found) {
      if (i.isAnnotationPresent(RpcService.class) && !found.contains(i)) {
        found.add(i);
      }
      for (Class<?> parent : i.getInterfaces()) {
        collectFromInterface(parent, found);
      }
    }

    /**
     * The serializers this server accepts, replacing the default set (Kryo, Protocol Buffers,
     * JSON). A service is served with each one that can carry its types.
     */
    public Builder serializers(Serializer... serializers) {
      this.serializers.clear();
      for (Serializer s : serializers) {
        this.serializers.add(Objects.requireNonNull(s, "serializer"));
      }
      return this;
    }

    /**
     * The largest frame body accepted or sent, in bytes, and the largest REST request body
     * accepted; 8 MiB when not set.
     */
    public Builder maxFrameSize(int maxFrameSize) {
      if (maxFrameSize < 1024) {
        throw new IllegalArgumentException("maxFrameSize must be at least 1024: " + maxFrameSize);
      }
      this.maxFrameSize = maxFrameSize;
      return this;
    }

    /**
     * When a connection stops reading its answers: once more than {@code highBytes} of answers wait
     * to be sent on it, the server stops reading its requests until fewer than {@code lowBytes}
     * wait, so that a client that never reads cannot make the server buffer without limit; 512 KiB
     * and 1 MiB when not set. The REST bridge does the same with these marks.
     */
    public Builder writeBufferWaterMark(int lowBytes, int highBytes) {
      this.writeBufferWaterMark = WaterMarks.of(lowBytes, highBytes);
      return this;
    }

    /**
     * The most calls of one service that may run at once, over every connection and the REST
     * bridge, counting those waiting for a business thread; a call past it is answered
     * RESOURCE_EXHAUSTED at once (HTTP 503 over REST). No limit but the executor's when not set.
     * Keeps one slow service from taking every business thread from the others.
     */
    public Builder maxConcurrentCalls(Class<?> serviceInterface, int max) {
      Objects.requireNonNull(serviceInterface, "serviceInterface");
      if (max < 1) {
        throw new IllegalArgumentException("maxConcurrentCalls must be positive: " + max);
      }
      maxServiceCalls.put(serviceInterface, max);
      return this;
    }

    /**
     * The most calls of one method that may run at once, as {@link #maxConcurrentCalls(Class, int)}
     * does for a whole service; both apply when both are set.
     */
    public Builder maxConcurrentCalls(Class<?> serviceInterface, String methodName, int max) {
      Objects.requireNonNull(serviceInterface, "serviceInterface");
      Objects.requireNonNull(methodName, "methodName");
      if (max < 1) {
        throw new IllegalArgumentException("maxConcurrentCalls must be positive: " + max);
      }
      maxMethodCalls.computeIfAbsent(serviceInterface, t -> new HashMap<>()).put(methodName, max);
      return this;
    }

    /** Threads of the business executor; 64 when not set. */
    public Builder workerThreads(int workerThreads) {
      if (workerThreads < 1) {
        throw new IllegalArgumentException("workerThreads must be positive: " + workerThreads);
      }
      this.workerThreads = workerThreads;
      return this;
    }

    /**
     * Requests that may wait for a business thread; 1024 when not set. Past that, requests are
     * answered RESOURCE_EXHAUSTED.
     */
    public Builder workerQueueSize(int workerQueueSize) {
      if (workerQueueSize < 1) {
        throw new IllegalArgumentException("workerQueueSize must be positive: " + workerQueueSize);
      }
      this.workerQueueSize = workerQueueSize;
      return this;
    }

    /**
     * Runs service methods on the connection's I/O thread instead of the business executor: the
     * fastest choice for methods that never block, and a stalled server for those that do.
     */
    public Builder directExecutor() {
      this.directExecutor = true;
      return this;
    }

    /** Event loop threads for connections; Netty's default (twice the cores) when not set. */
    public Builder ioThreads(int ioThreads) {
      if (ioThreads < 1) {
        throw new IllegalArgumentException("ioThreads must be positive: " + ioThreads);
      }
      this.ioThreads = ioThreads;
      return this;
    }

    /**
     * A server of these settings, not yet listening.
     *
     * @throws IllegalArgumentException if no service was added, or a service cannot be carried by
     *     any of the server's serializers
     */
    public RpcServer build() {
      if (services.isEmpty()) {
        throw new IllegalArgumentException("add at least one service");
      }
      for (Class<?> limited : union(maxServiceCalls.keySet(), maxMethodCalls.keySet())) {
        if (!services.containsKey(limited)) {
          throw new IllegalArgumentException(
              "maxConcurrentCalls is set for " + limited.getName() + ", which is not added");
        }
      }
      return new RpcServer(this);
    }
  }
}
