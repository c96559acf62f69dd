package io.minirpc.client;

import io.minirpc.Provider;
import io.minirpc.ProviderState;
import io.minirpc.ProviderStates;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The providers a client knows, for monitoring: those its services' registries list, each in the
 * state its health says, and those no longer listed that are still going away (a provider withdraws
 * from the registry before it tells its clients it is going away).
 */
final class KnownProviders implements ProviderStates {

  private final Collection<ServiceProviders> services;
  private final ProviderHealthTable health;

  /**
   * @param services a live view of the client's services, which grows as stubs are made
   */
  KnownProviders(Collection<ServiceProviders> services, ProviderHealthTable health) {
    this.services = services;
    this.health = health;
  }

  @Override
  public Map<String, ProviderState> byAddress() {
    Map<String, ProviderState> states = new TreeMap<>();
    for (ServiceProviders service : services) {
      for (Provider p : service.listed()) {
        states.computeIfAbsent(p.address(), health::state);
      }
    }
    health.addGoingAway(states);
    return Collections.unmodifiableMap(states);
  }

  @Override
  public String toString() {
    return "ProviderStates" + byAddress();
  }
}
