package io.minirpc.cluster;

import io.minirpc.LoadBalancer;
import io.minirpc.Provider;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A load balancer that picks a provider at random, with a probability proportional to its {@link
 * Provider#weight() weight}. Choose it by default: it keeps no state, costs nothing to share
 * between services and threads, and spreads calls evenly over many calls without coordinating
 * callers.
 *
 * <pre>{@code
 * LoadBalancer balancer = WeightedRandomLoadBalancer.create();
 * }</pre>
 */
public final class WeightedRandomLoadBalancer implements LoadBalancer {

  private WeightedRandomLoadBalancer() {}

  /** A weighted random load balancer. */
  public static WeightedRandomLoadBalancer create() {
    return new WeightedRandomLoadBalancer();
  }

  @Override
  public Provider pick(List<Provider> providers, Call call) {
    int size = providers.size();
    if (size == 1) {
      return providers.get(0);
    }
    // One pass sums the weights; a long cannot overflow, whatever the int weights.
    int firstWeight = providers.get(0).weight();
    long totalWeight = firstWeight;
    boolean sameWeights = true;
    for (int i = 1; i < size; i++) {
      int weight = providers.get(i).weight();
      totalWeight += weight;
      sameWeights &= weight == firstWeight;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (sameWeights) {
      return providers.get(random.nextInt(size));
    }
    // Lists are short (tens of providers), so a linear walk beats caching cumulative weights
    // that would have to be kept in step with the list.
    long offset = random.nextLong(totalWeight);
    for (int i = 0; i < size; i++) {
      Provider provider = providers.get(i);
      offset -= provider.weight();
      if (offset < 0) {
        return provider;
      }
    }
    throw new AssertionError("offset beyond the total weight");
  }

  @Override
  public String toString() {
    return "WeightedRandomLoadBalancer";
  }
}
