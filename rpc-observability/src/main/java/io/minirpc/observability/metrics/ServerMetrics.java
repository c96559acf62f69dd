package io.minirpc.observability.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.minirpc.ServerCallContext;
import io.minirpc.ServerInterceptor;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Records every call a server serves in a Micrometer registry: calls started, calls active, and
 * their duration by outcome, per service and method (see {@link CallMeters} for the names).
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder()
 *     .addService(new UserServiceImpl())
 *     .intercept(ServerMetrics.of(registry))   // first: it times what the others do too
 *     .build();
 * }</pre>
 *
 * <p>Register it first, so that it is the outermost interceptor and counts the calls the others
 * refuse (an authenticator's UNAUTHENTICATED, say). Calls refused by a full executor or a
 * concurrency limit are counted too, as RESOURCE_EXHAUSTED: every call of an exported method passes
 * through the interceptors.
 */
public final class ServerMetrics implements ServerInterceptor {

  private final CallMeters meters;

  private ServerMetrics(MeterRegistry registry) {
    this.meters = new CallMeters(Objects.requireNonNull(registry, "registry"), "server");
  }

  /** Records into this registry. */
  public static ServerMetrics of(MeterRegistry registry) {
    return new ServerMetrics(registry);
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
