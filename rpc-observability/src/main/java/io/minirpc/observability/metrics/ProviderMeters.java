package io.minirpc.observability.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.minirpc.ProviderState;
import io.minirpc.ProviderStates;
import java.util.Locale;

/**
 * The gauges of a client's providers by state: {@code rpc.client.providers}, by {@code rpc.system}
 * and {@code state} (the {@link ProviderState} in lower case: {@code available}, {@code
 * circuit_open}, {@code circuit_half_open}, {@code going_away}), one per state, zero included, so
 * that a dashboard sees a state appear rather than a series start.
 */
final class ProviderMeters {

  private ProviderMeters() {}

  static void register(MeterRegistry registry, ProviderStates states) {
    for (ProviderState state : ProviderState.values()) {
      Gauge.builder("rpc.client.providers", states, s -> s.count(state))
          .description("Providers the client knows, by what it makes of them")
          .tags("rpc.system", CallMeters.SYSTEM, "state", state.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }
}
