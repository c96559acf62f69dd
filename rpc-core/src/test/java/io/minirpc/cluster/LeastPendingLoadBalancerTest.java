package io.minirpc.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.minirpc.LoadBalancer;
import io.minirpc.Provider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastPendingLoadBalancerTest {

  private final LoadBalancer balancer = LeastPendingLoadBalancer.create();
  private final Provider a = new Provider("a", 1, 100);
  private final Provider b = new Provider("b", 1, 100);
  private final Provider c = new Provider("c", 1, 100);
  private final List<Provider> providers = List.of(a, b, c);

  @Test
  void picksTheProviderWithFewestPendingCalls() {
    TestCall call = TestCall.of().pending(a, 5).pending(b, 2).pending(c, 7);

    for (int i = 0; i < 100; i++) {
      assertThat(balancer.pick(providers, call)).isSameAs(b);
    }

    call.pending(c, 1);
    assertThat(balancer.pick(providers, call)).isSameAs(c);
    call.pending(a, 0);
    assertThat(balancer.pick(providers, call)).isSameAs(a);
  }

  @Test
  void tiesAreSpreadEvenlyOverTheTiedProviders() {
    TestCall call = TestCall.of().pending(a, 1).pending(b, 3).pending(c, 1);

    Map<Provider, Integer> counts = pick(providers, call, 20_000);

    assertThat(counts).containsOnlyKeys(a, c);
    // Each of two tied providers is a binomial with p = 1/2: sigma = sqrt(20,000 / 4) ≈ 71;
    // five sigma fail a correct balancer about once in 1.7 million runs.
    assertThat((double) counts.get(a)).isCloseTo(10_000, within(5 * 71.0));
  }

  @Test
  void tiesAreBrokenInProportionToWeights() {
    Provider light = new Provider("light", 1, 100);
    Provider heavy = new Provider("heavy", 1, 300);
    TestCall call = TestCall.of();

    Map<Provider, Integer> counts = pick(List.of(heavy, light), call, 20_000);

    // p = 1/4: sigma = sqrt(20,000 · 1/4 · 3/4) ≈ 61; five sigma as above.
    assertThat((double) counts.get(light)).isCloseTo(5_000, within(5 * 61.0));
  }

  private Map<Provider, Integer> pick(List<Provider> list, LoadBalancer.Call call, int picks) {
    Map<Provider, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      counts.merge(balancer.pick(list, call), 1, Integer::sum);
    }
    return counts;
  }
}
