package io.minirpc.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.LoadBalancer;
import io.minirpc.Provider;
import io.minirpc.ServiceName;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsistentHashLoadBalancerTest {

  private static final int KEYS = 10_000;

  private final Provider a = Provider.parse("10.0.0.1:7000");
  private final Provider b = Provider.parse("10.0.0.2:7000");
  private final Provider c = Provider.parse("10.0.0.3:7000");
  private final Provider d = Provider.parse("10.0.0.4:7000");
  private final List<Provider> three = List.of(a, b, c);

  @Test
  void sameKeyAlwaysMapsToTheSameProvider() {
    LoadBalancer balancer = ConsistentHashLoadBalancer.create();
    Map<String, Provider> first = assign(balancer, three);

    assertThat(assign(balancer, three)).isEqualTo(first);
    // A balancer of its own, with a list of its own, stands for another client in another JVM.
    LoadBalancer another = ConsistentHashLoadBalancer.create();
    assertThat(assign(another, List.of(a, b, c))).isEqualTo(first);
  }

  @Test
  void keyHashIsMurmur3OfTheArgumentsText() {
    ConsistentHashLoadBalancer balancer = ConsistentHashLoadBalancer.create();

    // The published MurmurHash3 x64_128 value of this text (seed 0, first half): the same in
    // every JVM, whatever its String.hashCode or identity hashes.
    assertThat(balancer.keyHash(new Object[] {"The quick brown fox jumps over the lazy dog"}))
        .isEqualTo(0xe34bbc7bbc071b6cL);
    assertThat(balancer.keyHash(new Object[] {42L, "ignored"}))
        .isEqualTo(balancer.keyHash(new Object[] {"42"}));
    assertThat(balancer.keyHash(new Object[] {new int[] {1, 2}}))
        .isEqualTo(balancer.keyHash(new Object[] {new int[] {1, 2}}))
        .isEqualTo(balancer.keyHash(new Object[] {"[1, 2]"}));
  }

  @Test
  void keysSpreadOverAllProviders() {
    Map<Provider, Integer> counts = new HashMap<>();
    assign(ConsistentHashLoadBalancer.create(), three)
        .values()
        .forEach(provider -> counts.merge(provider, 1, Integer::sum));

    // With 160 points each, a provider's share of the ring is 1/3 give or take a few percent.
    assertThat(counts).containsOnlyKeys(a, b, c);
    for (int count : counts.values()) {
      assertThat(count).isBetween(KEYS * 20 / 100, KEYS * 47 / 100);
    }
  }

  @Test
  void joiningProviderTakesAboutAQuarterOfTheKeysFromTheOthers() {
    LoadBalancer balancer = ConsistentHashLoadBalancer.create();
    Map<String, Provider> before = assign(balancer, three);
    Map<String, Provider> after = assign(balancer, List.of(a, b, c, d));

    int moved = 0;
    for (Map.Entry<String, Provider> entry : before.entrySet()) {
      Provider now = after.get(entry.getKey());
      if (!now.equals(entry.getValue())) {
        moved++;
        assertThat(now).as("new owner of %s", entry.getKey()).isEqualTo(d);
      }
    }
    assertThat((double) moved / KEYS).isBetween(0.15, 0.35);
  }

  @Test
  void leavingProviderMovesOnlyItsOwnKeys() {
    LoadBalancer balancer = ConsistentHashLoadBalancer.create();
    Map<String, Provider> before = assign(balancer, List.of(a, b, c, d));
    Map<String, Provider> after = assign(balancer, three);

    for (Map.Entry<String, Provider> entry : before.entrySet()) {
      if (!entry.getValue().equals(d)) {
        assertThat(after.get(entry.getKey())).isEqualTo(entry.getValue());
      }
    }
  }

  @Test
  void chosenArgumentIsTheKey() {
    LoadBalancer bySecond = ConsistentHashLoadBalancer.builder().arguments(1).build();
    Set<Provider> owners = new HashSet<>();

    for (int i = 0; i < 100; i++) {
      String key = "user-" + i;
      Provider owner = bySecond.pick(three, TestCall.of("x", key));
      assertThat(bySecond.pick(three, TestCall.of("y", key, "z"))).isEqualTo(owner);
      owners.add(owner);
    }

    assertThat(owners).containsExactlyInAnyOrder(a, b, c);
  }

  @Test
  void severalArgumentsAreHashedInOrderAndApart() {
    ConsistentHashLoadBalancer balancer =
        ConsistentHashLoadBalancer.builder().arguments(0, 1).build();

    assertThat(balancer.keyHash(new Object[] {"a", "bc"}))
        .isNotEqualTo(balancer.keyHash(new Object[] {"ab", "c"}))
        .isNotEqualTo(balancer.keyHash(new Object[] {"bc", "a"}));
    assertThat(balancer.keyHash(new Object[] {"a", "bc", "ignored"}))
        .isEqualTo(balancer.keyHash(new Object[] {"a", "bc"}));
  }

  @Test
  void callsWithoutArgumentsMapToOneFixedProvider() {
    LoadBalancer balancer = ConsistentHashLoadBalancer.create();
    Provider owner = balancer.pick(three, TestCall.of());

    for (int i = 0; i < 10; i++) {
      assertThat(balancer.pick(three, TestCall.of())).isEqualTo(owner);
      assertThat(balancer.pick(three, TestCall.of((Object[]) null))).isEqualTo(owner);
    }
    assertThat(ConsistentHashLoadBalancer.create().pick(List.of(a, b, c), TestCall.of()))
        .isEqualTo(owner);
  }

  @Test
  void servicesKeepTheirOwnRing() {
    LoadBalancer balancer = ConsistentHashLoadBalancer.create();
    ServiceName other = new ServiceName("test.Other", "");
    List<Provider> otherProviders = List.of(c, d);

    for (int i = 0; i < 100; i++) {
      String key = "key-" + i;
      assertThat(balancer.pick(three, TestCall.of(key))).isIn(three);
      assertThat(balancer.pick(otherProviders, call(other, key))).isIn(otherProviders);
    }
  }

  @Test
  void builderRejectsBadSettings() {
    assertThatThrownBy(() -> ConsistentHashLoadBalancer.builder().arguments())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("arguments: at least one index is needed");
    assertThatThrownBy(() -> ConsistentHashLoadBalancer.builder().arguments(0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("arguments: index must not be negative: -1");
    assertThatThrownBy(() -> ConsistentHashLoadBalancer.builder().virtualNodes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("virtualNodes must be positive: 0");
  }

  private static Map<String, Provider> assign(LoadBalancer balancer, List<Provider> providers) {
    Map<String, Provider> owners = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      String key = "key-" + i;
      owners.put(key, balancer.pick(providers, TestCall.of(key)));
    }
    return owners;
  }

  private static TestCall call(ServiceName service, Object... arguments) {
    return new TestCall(service, "echo", arguments, Map.of());
  }
}
