package io.minirpc.cluster;

import io.minirpc.LoadBalancer;
import io.minirpc.Provider;
import io.minirpc.ServiceName;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load balancer that takes the providers in turn, each as often as its {@link Provider#weight()
 * weight} says, with the turns evenly interleaved (the smooth weighted round robin of nginx).
 * Choose it when calls should be spread exactly rather than on average, for example over few calls
 * or few providers; prefer {@link LeastPendingLoadBalancer} when providers answer at different
 * speeds.
 *
 * <p>Weights 1, 2 and 3 give the sequence {@code C B A C B C}, repeated: every window of six calls
 * holds one A, two Bs and three Cs. Equal weights give a plain rotation.
 *
 * <p>The rotation is kept per service, for the provider list of the last call; a new list (a
 * provider joined or left) starts a new rotation from its beginning.
 *
 * <pre>{@code
 * LoadBalancer balancer = RoundRobinLoadBalancer.create();
 * }</pre>
 */
public final class RoundRobinLoadBalancer implements LoadBalancer {

  /**
   * The longest weighted cycle that is computed in advance (64 KiB of references); weights whose
   * cycle is longer, which takes unusual weights, are followed step by step under a lock.
   */
  static final int MAX_PRECOMPUTED_CYCLE = 1 << 14;

  private final int maxPrecomputedCycle;

  /**
   * One rotation per service rather than a single one per balancer, because one balancer may serve
   * the stubs of several services, each with its own list; a single slot would restart the rotation
   * at every call that alternates between them.
   */
  private final ConcurrentHashMap<ServiceName, Rotation> rotations = new ConcurrentHashMap<>();

  RoundRobinLoadBalancer(int maxPrecomputedCycle) {
    this.maxPrecomputedCycle = maxPrecomputedCycle;
  }

  /** A round robin load balancer. */
  public static RoundRobinLoadBalancer create() {
    return new RoundRobinLoadBalancer(MAX_PRECOMPUTED_CYCLE);
  }

  @Override
  public Provider pick(List<Provider> providers, Call call) {
    if (providers.size() == 1) {
      return providers.get(0);
    }
    ServiceName service = call.service();
    Rotation rotation = rotations.get(service);
    // The caller passes the same list until the candidates change, so identity tells whether the
    // rotation still applies. compute() makes threads that see a new list at the same moment
    // agree on one rotation, so that none of their picks is lost from the count.
    if (rotation == null || rotation.providers != providers) {
      rotation =
          rotations.compute(
              service,
              (key, current) ->
                  current != null && current.providers == providers
                      ? current
                      : newRotation(providers));
    }
    return rotation.next();
  }

  private Rotation newRotation(List<Provider> providers) {
    int size = providers.size();
    int[] weights = new int[size];
    int gcd = 0;
    boolean sameWeights = true;
    for (int i = 0; i < size; i++) {
      weights[i] = providers.get(i).weight();
      gcd = gcd(gcd, weights[i]);
      sameWeights &= weights[i] == weights[0];
    }
    if (sameWeights) {
      return new PlainRotation(providers);
    }
    // Dividing by the common divisor keeps the same sequence (every comparison scales alike) and
    // shortens the cycle to the sum of the reduced weights.
    long cycle = 0;
    for (int i = 0; i < size; i++) {
      weights[i] /= gcd;
      cycle += weights[i];
    }
    SmoothWeights smooth = new SmoothWeights(weights);
    if (cycle > maxPrecomputedCycle) {
      return new LockedRotation(providers, smooth);
    }
    Provider[] sequence = new Provider[(int) cycle];
    for (int i = 0; i < sequence.length; i++) {
      sequence[i] = providers.get(smooth.next());
    }
    return new PrecomputedRotation(providers, sequence);
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int r = a % b;
      a = b;
      b = r;
    }
    return a;
  }

  @Override
  public String toString() {
    return "RoundRobinLoadBalancer";
  }

  /** The state of the rotation over one provider list. */
  private abstract static class Rotation {

    final List<Provider> providers;

    Rotation(List<Provider> providers) {
      this.providers = providers;
    }

    abstract Provider next();
  }

  /** Equal weights: a counter taken modulo the list's size. */
  private static final class PlainRotation extends Rotation {

    // A long never wraps in practice, so the rotation never jumps.
    private final AtomicLong sequence = new AtomicLong();

    PlainRotation(List<Provider> providers) {
      super(providers);
    }

    @Override
    Provider next() {
      return providers.get((int) (sequence.getAndIncrement() % providers.size()));
    }
  }

  /**
   * Unequal weights with a short cycle: the whole cycle of smooth weighted round robin, computed
   * once, then read with a counter; lock-free, and exact however many threads pick at once.
   */
  private static final class PrecomputedRotation extends Rotation {

    private final Provider[] cycle;
    private final AtomicLong sequence = new AtomicLong();

    PrecomputedRotation(List<Provider> providers, Provider[] cycle) {
      super(providers);
      this.cycle = cycle;
    }

    @Override
    Provider next() {
      return cycle[(int) (sequence.getAndIncrement() % cycle.length)];
    }
  }

  /** Unequal weights with a cycle too long to keep: smooth weighted round robin, step by step. */
  private static final class LockedRotation extends Rotation {

    private final SmoothWeights smooth;

    LockedRotation(List<Provider> providers, SmoothWeights smooth) {
      super(providers);
      this.smooth = smooth;
    }

    @Override
    Provider next() {
      int index;
      synchronized (smooth) {
        index = smooth.next();
      }
      return providers.get(index);
    }
  }

  /**
   * nginx's smooth weighted round robin: every step, each provider's current weight grows by its
   * weight; the largest (the first of equals) is chosen and lowered by the total. Not thread-safe.
   */
  private static final class SmoothWeights {

    private final int[] weights;
    private final long[] current;
    private final long total;

    SmoothWeights(int[] weights) {
      this.weights = weights;
      this.current = new long[weights.length];
      long sum = 0;
      for (int weight : weights) {
        sum += weight;
      }
      this.total = sum;
    }

    int next() {
      int best = 0;
      for (int i = 0; i < weights.length; i++) {
        current[i] += weights[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      return best;
    }
  }
}
