package io.minirpc.observability.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.minirpc.ClientInterceptor;
import io.minirpc.ClientRequest;
import io.minirpc.ProviderStates;
import io.minirpc.TransportStats;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Records every call a client makes in a Micrometer registry: calls started, calls active, and
 * their duration by outcome, per service and method (see {@link CallMeters} for the names). A call
 * is timed from the stub's call to its outcome, its retries on other providers included. Once bound
 * to them, it records the client's bytes and connections (see {@link TransportMeters}) and its
 * providers by state (see {@link ProviderMeters}) too.
 *
 * <pre>{@code
 * ClientMetrics metrics = ClientMetrics.of(registry);
 * RpcClient client = RpcClient.builder()
 *     .addresses("127.0.0.1:7070")
 *     .intercept(metrics)
 *     .build();
 * metrics.bindTransport(client.transportStats()).bindProviderStates(client.providerStates());
 * }</pre>
 */
public final class ClientMetrics implements ClientInterceptor {

  private final MeterRegistry registry;
  private final CallMeters meters;

  private ClientMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.meters = new CallMeters(registry, "client");
  }

  /** Records into this registry. */
  public static ClientMetrics of(MeterRegistry registry) {
    return new ClientMetrics(registry);
  }

  /**
   * Also records the client's bytes and connections, read from this view when the registry is
   * scraped: {@code rpc.client.bytes.received}, {@code rpc.client.bytes.sent} and {@code
   * rpc.client.connections}. A registry holds one meter per name and tags: bind one client to it,
   * or the first client's figures are the ones recorded.
   *
   * @return this
   */
  public ClientMetrics bindTransport(TransportStats stats) {
    TransportMeters.register(registry, "client", Objects.requireNonNull(stats, "stats"));
    return this;
  }

  /**
   * Also records how many of the client's providers are in each state, read from this view when the
   * registry is scraped: {@code rpc.client.providers}, tagged {@code state}.
   *
   * @return this
   */
  public ClientMetrics bindProviderStates(ProviderStates states) {
    ProviderMeters.register(registry, Objects.requireNonNull(states, "states"));
    return this;
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
