package io.minirpc.client;

import io.minirpc.Provider;
import io.minirpc.ProviderState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The health of every provider a client has called, by address, shared by all its services; and a
 * version number that changes whenever some provider's availability does, so that the lists of
 * available providers derived from it can be cached.
 */
final class ProviderHealthTable implements ConnectionEvents {

  private final Map<String, ProviderHealth> byAddress = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();
  private final Runnable bump = version::incrementAndGet;
  private final int threshold;
  private final long baseCoolDownNanos;
  private final long maxCoolDownNanos;

  ProviderHealthTable(int threshold, Duration baseCoolDown, Duration maxCoolDown) {
    this.threshold = threshold;
    this.baseCoolDownNanos = baseCoolDown.toNanos();
    this.maxCoolDownNanos = maxCoolDown.toNanos();
  }

  ProviderHealth of(Provider provider) {
    // Looked up first: every call asks, and the function computeIfAbsent takes is a new object.
    ProviderHealth known = byAddress.get(provider.address());
    if (known != null) {
      return known;
    }
    return byAddress.computeIfAbsent(
        provider.address(),
        a -> new ProviderHealth(threshold, baseCoolDownNanos, maxCoolDownNanos, bump));
  }

  /** The state of the provider at this address, without starting to track it if it is not yet. */
  ProviderState state(String address) {
    ProviderHealth h = byAddress.get(address);
    // Nothing has happened to a provider not tracked yet: its first call would go there.
    return h == null ? ProviderState.AVAILABLE : h.state();
  }

  /** Puts every provider that is going away into the map, unless it is there already. */
  void addGoingAway(Map<String, ProviderState> states) {
    byAddress.forEach(
        (address, h) -> {
          if (h.state() == ProviderState.GOING_AWAY) {
            states.putIfAbsent(address, ProviderState.GOING_AWAY);
          }
        });
  }

  /** Changes whenever some provider becomes available or unavailable. */
  long version() {
    return version.get();
  }

  @Override
  public void goingAway(Provider provider) {
    of(provider).goingAway();
  }

  @Override
  public void closed(Provider provider, boolean afterGoingAway) {
    if (afterGoingAway) {
      of(provider).goneAway();
    }
  }
}
