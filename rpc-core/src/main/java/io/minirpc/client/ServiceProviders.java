package io.minirpc.client;

import io.minirpc.Provider;
import io.minirpc.Registry;
import io.minirpc.ServiceName;
import io.minirpc.Status;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The providers a client knows for one service, as its registry last reported them, and the choice
 * of one for each call: in turn, round robin.
 */
final class ServiceProviders implements AutoCloseable {

  private final ServiceName service;
  private final Registry.Subscription subscription;
  private final AtomicInteger next = new AtomicInteger();
  private volatile List<Provider> providers = List.of();

  ServiceProviders(ServiceName service, Registry registry) {
    this.service = service;
    this.subscription = registry.subscribe(service, list -> providers = List.copyOf(list));
  }

  /**
   * The provider for the next call.
   *
   * @throws io.minirpc.RpcException UNAVAILABLE when no provider is known
   */
  Provider next() {
    List<Provider> current = providers;
    if (current.isEmpty()) {
      throw Status.UNAVAILABLE
          .withDescription("no provider of service " + service + " is known")
          .asException();
    }
    if (current.size() == 1) {
      return current.get(0);
    }
    return current.get(Math.floorMod(next.getAndIncrement(), current.size()));
  }

  @Override
  public void close() {
    subscription.close();
  }
}
