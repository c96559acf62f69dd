package io.minirpc;

import java.util.Map;

/**
 * A live, read-only view of the providers a client knows and the {@link ProviderState} of each, for
 * monitoring.
 *
 * <pre>{@code
 * int away = client.providerStates().count(ProviderState.GOING_AWAY);
 * }</pre>
 */
public interface ProviderStates {

  /**
   * Each known provider's state now, by {@code host:port}: the providers the registry (or the fixed
   * list of addresses) gives for the services this client has made stubs of, those that can take
   * its serializer, and those no longer listed whose connections are still finishing their calls
   * after going away. A new map on every call, which does not change.
   */
  Map<String, ProviderState> byAddress();

  /** How many known providers are in this state now. */
  default int count(ProviderState state) {
    int n = 0;
    for (ProviderState s : byAddress().values()) {
      if (s == state) {
        n++;
      }
    }
    return n;
  }
}
