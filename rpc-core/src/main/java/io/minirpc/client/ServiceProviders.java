package io.minirpc.client;

import io.minirpc.LoadBalancer;
import io.minirpc.Provider;
import io.minirpc.Registry;
import io.minirpc.ServiceName;
import io.minirpc.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers a client knows for one service, as its registry last reported them, and the choice
 * of one for each call: among those whose health allows a call, by the service's load balancer.
 */
final class ServiceProviders implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ServiceProviders.class);

  private final ServiceName service;
  private final String serializerName;
  private final LoadBalancer loadBalancer;
  private final ProviderHealthTable health;
  private final ConnectionPool pool;
  private final Registry.Subscription subscription;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch firstList = new CountDownLatch(1);
  private volatile List<Provider> providers = List.of();
  private volatile List<Provider> refusingSerializer = List.of();
  private volatile Available available = new Available(-1, List.of(), List.of(), Long.MAX_VALUE);

  /**
   * The available providers as of one version of the health table: the same list instance for as
   * long as nothing changes, as {@link LoadBalancer#pick} wants it.
   */
  private record Available(
      long version, List<Provider> from, List<Provider> providers, long validUntil) {}

  ServiceProviders(
      ServiceName service,
      String serializerName,
      Registry registry,
      LoadBalancer loadBalancer,
      ProviderHealthTable health,
      ConnectionPool pool) {
    this.service = service;
    this.serializerName = serializerName;
    this.loadBalancer = loadBalancer;
    this.health = health;
    this.pool = pool;
    this.subscription = registry.subscribe(service, this::update);
  }

  private void update(List<Provider> list) {
    List<Provider> sorted =
        list.stream().sorted(Comparator.comparing(Provider::address)).distinct().toList();
    List<Provider> accepting = sorted.stream().filter(p -> p.accepts(serializerName)).toList();
    if (!accepting.equals(providers)) {
      log.debug("Providers of {}: {}", service, accepting);
      providers = accepting;
    }
    refusingSerializer = sorted.stream().filter(p -> !p.accepts(serializerName)).toList();
    firstList.countDown();
  }

  /** The providers the registry lists now that can take this client's serializer. */
  List<Provider> listed() {
    return providers;
  }

  /**
   * The provider for the next attempt of a call.
   *
   * @param exclude providers an earlier attempt of the same call already failed on, or null
   * @throws io.minirpc.RpcException UNAVAILABLE when no provider can take the call; the message
   *     lists each known provider and its state
   */
  Provider pick(BoundMethod method, Object[] args, List<Provider> exclude, long deadline) {
    awaitFirstList(deadline);
    long now = System.nanoTime();
    List<Provider> candidates = available(now);
    if (exclude != null) {
      candidates = new ArrayList<>(candidates);
      candidates.removeAll(exclude);
    }
    if (candidates.isEmpty()) {
      throw noProvider(now, exclude);
    }
    Provider chosen =
        candidates.size() == 1
            ? candidates.get(0)
            : loadBalancer.pick(candidates, new Call(method, args, pool));
    health.of(chosen).picked(now);
    return chosen;
  }

  private List<Provider> available(long now) {
    List<Provider> all = providers;
    long version = health.version();
    Available cached = available;
    if (cached.version == version && cached.from == all && now - cached.validUntil < 0) {
      return cached.providers;
    }
    List<Provider> usable = new ArrayList<>(all.size());
    long validUntil = Long.MAX_VALUE;
    for (Provider p : all) {
      ProviderHealth h = health.of(p);
      if (h.isAvailable(now)) {
        usable.add(p);
      } else {
        validUntil = Math.min(validUntil, h.availableFrom());
      }
    }
    List<Provider> result = usable.size() == all.size() ? all : List.copyOf(usable);
    available = new Available(version, all, result, validUntil);
    return result;
  }

  private void awaitFirstList(long deadline) {
    if (firstList.getCount() == 0) {
      return;
    }
    try {
      if (!firstList.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw Status.UNAVAILABLE
            .withDescription("the registry gave no list of providers of " + service + " in time")
            .asException();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED
          .withDescription("interrupted while waiting for the providers of " + service)
          .asException(e);
    }
  }

  private RuntimeException noProvider(long now, List<Provider> exclude) {
    List<Provider> all = providers;
    if (all.isEmpty()) {
      List<Provider> refusing = refusingSerializer;
      return Status.UNAVAILABLE
          .withDescription(
              refusing.isEmpty()
                  ? "no provider of " + service + " is registered"
                  : "no provider of "
                      + service
                      + " accepts the "
                      + serializerName
                      + " serializer: "
                      + refusing.stream()
                          .map(p -> p.address() + " accepts " + p.serializers())
                          .collect(Collectors.joining(", ")))
          .asException();
    }
    String states =
        all.stream()
            .map(
                p ->
                    p.address()
                        + " ("
                        + (exclude != null && exclude.contains(p)
                            ? "failed this call already"
                            : health.of(p).describe(now))
                        + ")")
            .collect(Collectors.joining(", "));
    return Status.UNAVAILABLE
        .withDescription("no provider of " + service + " can take the call: " + states)
        .asException();
  }

  @Override
  public void close() {
    // Both a closing client and a stub made while it closed may close these (RpcClient.stub).
    if (closed.compareAndSet(false, true)) {
      subscription.close();
    }
  }

  /** The call as a load balancer sees it. */
  private record Call(BoundMethod bound, Object[] arguments, ConnectionPool pool)
      implements LoadBalancer.Call {
    @Override
    public ServiceName service() {
      return bound.descriptor.service();
    }

    @Override
    public String method() {
      return bound.descriptor.name();
    }

    @Override
    public int pendingCalls(Provider provider) {
      return pool.pendingCalls(provider);
    }
  }
}
