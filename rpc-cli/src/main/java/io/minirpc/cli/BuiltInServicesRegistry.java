package io.minirpc.cli;

import io.minirpc.Provider;
import io.minirpc.Registry;
import io.minirpc.ServiceName;
import io.minirpc.health.Health;
import io.minirpc.reflection.Reflection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A registry that finds the services every server has by itself, health and reflection, at the
 * providers of one application service, and every other service as the registry it wraps does.
 *
 * <p>The built-in services are never announced in a registry, so a client that asks ZooKeeper for
 * the providers of {@code minirpc.Reflection} finds none; through this one, {@code minirpc describe
 * example.UserService --zookeeper ..} asks a provider of {@code example.UserService}, chosen by the
 * client's load balancer among the live ones, as a call of that service would be. The providers'
 * serializer lists are dropped for these subscriptions: they tell what the application service
 * accepts, and every server carries the built-in services with JSON.
 */
final class BuiltInServicesRegistry implements Registry {

  private static final ServiceName REFLECTION = new ServiceName(Reflection.SERVICE, "");
  private static final ServiceName HEALTH = new ServiceName(Health.SERVICE, "");

  private final Registry registry;
  private final ServiceName target;

  BuiltInServicesRegistry(Registry registry, ServiceName target) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.target = Objects.requireNonNull(target, "target");
  }

  @Override
  public void register(ServiceName service, Provider provider) {
    registry.register(service, provider);
  }

  @Override
  public void unregister(ServiceName service, Provider provider) {
    registry.unregister(service, provider);
  }

  @Override
  public Subscription subscribe(ServiceName service, Consumer<List<Provider>> listener) {
    if (service.equals(REFLECTION) || service.equals(HEALTH)) {
      return registry.subscribe(
          target,
          providers ->
              listener.accept(providers.stream().map(p -> p.withSerializers(List.of())).toList()));
    }
    return registry.subscribe(service, listener);
  }

  @Override
  public void close() {
    registry.close();
  }

  @Override
  public String toString() {
    return registry + " (built-in services at the providers of " + target + ")";
  }
}
