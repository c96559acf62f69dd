package io.minirpc.observability.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.minirpc.ServerCallContext;
import io.minirpc.ServerInterceptor;
import io.minirpc.TransportStats;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Records every call a server serves in a Micrometer registry: calls started, calls active, and
 * their duration by outcome, per service and method (see {@link CallMeters} for the names); and,
 * once bound to them, the bytes and connections of the server's ports (see {@link
 * TransportMeters}).
 *
 * <pre>{@code
 * ServerMetrics metrics = ServerMetrics.of(registry);
 * RpcServer server = RpcServer.builder()
 *     .addService(new UserServiceImpl())
 *     .intercept(metrics)   // first: it times what the others do too
 *     .build();
 * metrics.bindTransport(server.transportStats());
 * }</pre>
 *
 * <p>Register it first, so that it is the outermost interceptor and counts the calls the others
 * refuse (an authenticator's UNAUTHENTICATED, say). Calls refused by a full executor or a
 * concurrency limit are counted too, as RESOURCE_EXHAUSTED: every call of an exported method passes
 * through the interceptors.
 */
public final class ServerMetrics implements ServerInterceptor {

  private final MeterRegistry registry;
  private final CallMeters meters;

  private ServerMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.meters = new CallMeters(registry, "server");
  }

  /** Records into this registry. */
  public static ServerMetrics of(MeterRegistry registry) {
    return new ServerMetrics(registry);
  }

  /**
   * Also records the bytes and connections of one of the server's ports, read from this view when
   * the registry is scraped: {@code rpc.server.bytes.received}, {@code rpc.server.bytes.sent} and
   * {@code rpc.server.connections}, tagged {@code network.protocol.name} with the view's protocol.
   * Bind {@code server.transportStats()} for the minirpc port and {@code
   * server.restTransportStats()} for the REST bridge's. A registry holds one meter per name and
   * tags: bind one server's ports to it, or the first server's are the ones recorded.
   *
   * @return this
   */
  public ServerMetrics bindTransport(TransportStats stats) {
    TransportMeters.register(registry, "server", Objects.requireNonNull(stats, "stats"));
    return this;
  }

  @Override
  public CompletableFuture<Object> interceptCall(ServerCallContext call, Next next) {
    return meters.of(call.service(), call.method()).record(() -> next.proceed(call));
  }

  @Override
  public String toString() {
    return "ServerMetrics";
  }
}
