package io.minirpc.observability.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.minirpc.ClientInterceptor;
import io.minirpc.ClientRequest;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Records every call a client makes in a Micrometer registry: calls started, calls active, and
 * their duration by outcome, per service and method (see {@link CallMeters} for the names). A call
 * is timed from the stub's call to its outcome, its retries on other providers included.
 *
 * <pre>{@code
 * RpcClient client = RpcClient.builder()
 *     .addresses("127.0.0.1:7070")
 *     .intercept(ClientMetrics.of(registry))
 *     .build();
 * }</pre>
 */
public final class ClientMetrics implements ClientInterceptor {

  private final CallMeters meters;

  private ClientMetrics(MeterRegistry registry) {
    this.meters = new CallMeters(Objects.requireNonNull(registry, "registry"), "client");
  }

  /** Records into this registry. */
  public static ClientMetrics of(MeterRegistry registry) {
    return new ClientMetrics(registry);
  }

  @Override
  public CompletableFuture<Object> interceptCall(ClientRequest request, Next next) {
    return meters.of(request.service(), request.method()).record(() -> next.proceed(request));
  }

  @Override
  public String toString() {
    return "ClientMetrics";
  }
}
