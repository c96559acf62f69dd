package io.minirpc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.LoadBalancer;
import io.minirpc.Provider;
import io.minirpc.ServiceName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundRobinLoadBalancerTest {

  private final LoadBalancer.Call call = TestCall.of();

  private final Provider a1 = new Provider("a", 1, 1);
  private final Provider b2 = new Provider("b", 1, 2);
  private final Provider c3 = new Provider("c", 1, 3);
  private final List<Provider> weighted = List.of(a1, b2, c3);

  @Test
  void equalWeightsRotateInListOrder() {
    Provider a = new Provider("a", 1, 100);
    Provider b = new Provider("b", 1, 100);
    Provider c = new Provider("c", 1, 100);
    List<Provider> providers = List.of(a, b, c);

    List<Provider> picks = pick(RoundRobinLoadBalancer.create(), providers, 300);

    for (int i = 0; i < picks.size(); i++) {
      assertThat(picks.get(i)).isSameAs(providers.get(i % 3));
    }
    assertThat(counts(picks)).containsEntry(a, 100).containsEntry(b, 100).containsEntry(c, 100);
  }

  @Test
  void weightsAreHonouredExactlyAndInterleaved() {
    List<Provider> picks = pick(RoundRobinLoadBalancer.create(), weighted, 600);

    assertThat(picks.subList(0, 6)).containsExactly(c3, b2, a1, c3, b2, c3);
    assertThat(counts(picks)).containsEntry(a1, 100).containsEntry(b2, 200).containsEntry(c3, 300);
    // Smooth: every window of one cycle holds each provider exactly its weight's times, and no
    // provider is picked more than twice in a row (the heaviest, across the end of a cycle).
    for (int start = 0; start + 6 <= picks.size(); start++) {
      assertThat(counts(picks.subList(start, start + 6)))
          .containsEntry(a1, 1)
          .containsEntry(b2, 2)
          .containsEntry(c3, 3);
    }
    assertThat(longestRun(picks)).isEqualTo(2);
  }

  @Test
  void longCyclesFollowTheSameSequenceStepByStep() {
    List<Provider> providers =
        List.of(new Provider("a", 1, 5), new Provider("b", 1, 7), new Provider("c", 1, 11));
    LoadBalancer precomputed = RoundRobinLoadBalancer.create();
    LoadBalancer stepByStep = new RoundRobinLoadBalancer(0);

    List<Provider> expected = pick(precomputed, providers, 23 * 10);
    List<Provider> actual = pick(stepByStep, providers, 23 * 10);

    assertThat(actual).isEqualTo(expected);
    assertThat(counts(actual))
        .containsEntry(providers.get(0), 50)
        .containsEntry(providers.get(1), 70)
        .containsEntry(providers.get(2), 110);
  }

  @Test
  void commonDivisorOfWeightsDoesNotChangeTheSequence() {
    List<Provider> scaled =
        List.of(new Provider("a", 1, 100), new Provider("b", 1, 200), new Provider("c", 1, 300));

    List<Provider> picks = pick(RoundRobinLoadBalancer.create(), scaled, 6);

    assertThat(picks)
        .containsExactly(
            scaled.get(2),
            scaled.get(1),
            scaled.get(0),
            scaled.get(2),
            scaled.get(1),
            scaled.get(2));
  }

  @Test
  void concurrentPicksTotalExactly() throws Exception {
    Provider a = new Provider("a", 1, 100);
    Provider b = new Provider("b", 1, 100);
    Provider c = new Provider("c", 1, 100);
    assertConcurrentCounts(RoundRobinLoadBalancer.create(), List.of(a, b, c), 2, 2, 2);
    assertConcurrentCounts(RoundRobinLoadBalancer.create(), weighted, 1, 2, 3);
    assertConcurrentCounts(new RoundRobinLoadBalancer(0), weighted, 1, 2, 3);
  }

  @Test
  void newListRestartsTheRotation() {
    LoadBalancer balancer = RoundRobinLoadBalancer.create();
    assertThat(pick(balancer, weighted, 2)).containsExactly(c3, b2);

    // Same providers, new list: a change of candidates that happened to come back.
    List<Provider> sameProviders = new ArrayList<>(weighted);
    assertThat(pick(balancer, sameProviders, 6)).containsExactly(c3, b2, a1, c3, b2, c3);

    List<Provider> withoutC = List.of(a1, b2);
    assertThat(pick(balancer, withoutC, 3)).containsExactly(b2, a1, b2);
  }

  @Test
  void servicesKeepTheirOwnRotation() {
    LoadBalancer balancer = RoundRobinLoadBalancer.create();
    LoadBalancer.Call other = TestCall.of(new ServiceName("test.Other", ""));
    List<Provider> otherProviders = List.of(new Provider("x", 1, 100), new Provider("y", 1, 100));

    List<Provider> picks = new ArrayList<>();
    List<Provider> otherPicks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      picks.add(balancer.pick(weighted, call));
      otherPicks.add(balancer.pick(otherProviders, other));
    }

    assertThat(picks).containsExactly(c3, b2, a1, c3, b2, c3);
    Provider x = otherProviders.get(0);
    Provider y = otherProviders.get(1);
    assertThat(otherPicks).containsExactly(x, y, x, y, x, y);
  }

  private void assertConcurrentCounts(
      LoadBalancer balancer, List<Provider> providers, int... weights) throws Exception {
    int threads = 4;
    int picksPerThread = 6_000;
    Map<Provider, AtomicInteger> counts = new ConcurrentHashMap<>();
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            executor.submit(
                () -> {
                  for (int i = 0; i < picksPerThread; i++) {
                    Provider picked = balancer.pick(providers, call);
                    counts.computeIfAbsent(picked, p -> new AtomicInteger()).incrementAndGet();
                  }
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      executor.shutdownNow();
    }
    int total = threads * picksPerThread;
    int weightSum = weights[0] + weights[1] + weights[2];
    for (int i = 0; i < providers.size(); i++) {
      assertThat(counts.get(providers.get(i)).get())
          .as("picks of %s", providers.get(i))
          .isEqualTo(total / weightSum * weights[i]);
    }
  }

  private List<Provider> pick(LoadBalancer balancer, List<Provider> providers, int picks) {
    List<Provider> result = new ArrayList<>();
    for (int i = 0; i < picks; i++) {
      result.add(balancer.pick(providers, call));
    }
    return result;
  }

  private static Map<Provider, Integer> counts(List<Provider> picks) {
    Map<Provider, Integer> counts = new HashMap<>();
    for (Provider provider : picks) {
      counts.merge(provider, 1, Integer::sum);
    }
    return counts;
  }

  private static int longestRun(List<Provider> picks) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < picks.size(); i++) {
      run = i > 0 && picks.get(i).equals(picks.get(i - 1)) ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    return longest;
  }
}
