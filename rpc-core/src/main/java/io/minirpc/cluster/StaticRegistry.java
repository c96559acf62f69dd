package io.minirpc.cluster;

import io.minirpc.Provider;
import io.minirpc.Registry;
import io.minirpc.ServiceName;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A registry that knows a fixed list of provider addresses, for direct connections: every service
 * is looked for at every address. There is nothing to announce to, so a provider registers nowhere;
 * a caller configured with the provider's address finds it.
 */
public final class StaticRegistry implements Registry {

  private final List<Provider> providers;

  private StaticRegistry(List<Provider> providers) {
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("at least one provider address is needed");
    }
    this.providers = List.copyOf(providers);
  }

  /** A registry of these providers. */
  public static StaticRegistry of(List<Provider> providers) {
    return new StaticRegistry(providers);
  }

  /** A registry of the providers at these {@code host:port} addresses. */
  public static StaticRegistry of(String... addresses) {
    return new StaticRegistry(Arrays.stream(addresses).map(Provider::parse).toList());
  }

  public List<Provider> providers() {
    return providers;
  }

  /** Does nothing: a static list has nowhere to announce a provider. */
  @Override
  public void register(ServiceName service, Provider provider) {}

  /** Does nothing: a static list has nowhere to announce a provider. */
  @Override
  public void unregister(ServiceName service, Provider provider) {}

  /** Calls the listener once, at once, with the fixed list; the list never changes. */
  @Override
  public Subscription subscribe(ServiceName service, Consumer<List<Provider>> listener) {
    listener.accept(providers);
    return () -> {};
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "StaticRegistry" + providers;
  }
}
