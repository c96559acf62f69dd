package io.minirpc;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where providers announce themselves and callers find them. Implementations: a static list of
 * addresses for direct connections, and ZooKeeper (module {@code rpc-registry}).
 */
public interface Registry extends AutoCloseable {

  /** Announces that a provider serves a service, until {@link #unregister} or close. */
  void register(ServiceName service, Provider provider);

  /** Withdraws what {@link #register} announced; does nothing if it was not registered. */
  void unregister(ServiceName service, Provider provider);

  /**
   * Follows the providers of a service. The listener is called with the full current list soon
   * after subscribing and again each time it changes; it must not block.
   *
   * @return a handle that stops the updates when closed
   */
  Subscription subscribe(ServiceName service, Consumer<List<Provider>> listener);

  /** Releases the registry's resources; what it registered is withdrawn. */
  @Override
  void close();

  /** Stops the updates of one {@link #subscribe} call. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
