package io.minirpc.cluster;

import io.minirpc.LoadBalancer;
import io.minirpc.Provider;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A load balancer that picks the provider with the fewest calls in flight from this client, {@link
 * LoadBalancer.Call#pendingCalls(Provider) pendingCalls}. Choose it when providers answer at
 * different speeds (unequal hardware, garbage collection pauses, a slow dependency): a slow
 * provider accumulates pending calls and receives fewer new ones, without any configuration.
 *
 * <p>Every provider is examined, so the pick is the exact minimum; the lists of one service are
 * short and {@code pendingCalls} is a counter read, so the full scan costs less than it would to
 * reason about the approximations of sampling two at random (the "power of two choices", which pays
 * off for hundreds of providers or many uncoordinated balancers). Ties, frequent when the load is
 * light, are broken at random in proportion to the {@link Provider#weight() weights}, so that an
 * idle cluster is spread like {@link WeightedRandomLoadBalancer} rather than loading the first
 * provider of the list.
 *
 * <pre>{@code
 * LoadBalancer balancer = LeastPendingLoadBalancer.create();
 * }</pre>
 */
public final class LeastPendingLoadBalancer implements LoadBalancer {

  private LeastPendingLoadBalancer() {}

  /** A least pending calls load balancer. */
  public static LeastPendingLoadBalancer create() {
    return new LeastPendingLoadBalancer();
  }

  @Override
  public Provider pick(List<Provider> providers, Call call) {
    int size = providers.size();
    if (size == 1) {
      return providers.get(0);
    }
    Provider chosen = providers.get(0);
    int fewest = call.pendingCalls(chosen);
    long tiedWeight = chosen.weight();
    // One pass, reading each count once (they change under our feet): a weighted reservoir
    // sample of one among the providers tied at the minimum so far. The random number is drawn
    // only on a tie.
    for (int i = 1; i < size; i++) {
      Provider provider = providers.get(i);
      int pending = call.pendingCalls(provider);
      if (pending < fewest) {
        fewest = pending;
        chosen = provider;
        tiedWeight = provider.weight();
      } else if (pending == fewest) {
        tiedWeight += provider.weight();
        if (ThreadLocalRandom.current().nextLong(tiedWeight) < provider.weight()) {
          chosen = provider;
        }
      }
    }
    return chosen;
  }

  @Override
  public String toString() {
    return "LeastPendingLoadBalancer";
  }
}
