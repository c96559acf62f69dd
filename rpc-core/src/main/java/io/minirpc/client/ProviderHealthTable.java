package io.minirpc.client;

import io.minirpc.Provider;
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
    return byAddress.computeIfAbsent(
        provider.address(),
        a -> new ProviderHealth(threshold, baseCoolDownNanos, maxCoolDownNanos, bump));
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
