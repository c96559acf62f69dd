package io.minirpc.cluster;

import io.minirpc.LoadBalancer;
import io.minirpc.Provider;
import io.minirpc.ServiceName;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A load balancer that sends the calls with the same key arguments to the same provider, through a
 * ring of consistent hashing with virtual nodes. Choose it when a provider keeps something per key
 * (a cache, a session, a lock) and calls for one key should find it; when a provider joins or
 * leaves, only about 1/N of the keys move.
 *
 * <p>The key is the first argument by default, or the arguments at the {@linkplain
 * Builder#arguments(int...) chosen indexes}. An argument is read through {@link
 * String#valueOf(Object)} (arrays through {@link Arrays#toString} and {@link Arrays#deepToString}),
 * encoded in UTF-8 and hashed with MurmurHash3, so that every client, in every JVM, maps a key to
 * the same provider. The key arguments must therefore have a {@code toString()} defined by their
 * value (strings, numbers, enums, records), never {@link Object#toString()}, whose identity hash
 * differs from one JVM to the next. A call without arguments, or without the argument at an index,
 * hashes a fixed key part.
 *
 * <p>Every provider owns the same number of virtual nodes: the ring ignores {@link
 * Provider#weight() weights}, so that a provider's points never depend on the others'.
 *
 * <pre>{@code
 * LoadBalancer byUser = ConsistentHashLoadBalancer.create();
 * LoadBalancer byTenantAndUser =
 *     ConsistentHashLoadBalancer.builder().arguments(0, 1).virtualNodes(320).build();
 * }</pre>
 */
public final class ConsistentHashLoadBalancer implements LoadBalancer {

  /** The virtual nodes per provider unless told otherwise: Ketama's and Dubbo's 160. */
  public static final int DEFAULT_VIRTUAL_NODES = 160;

  private static final byte[] NO_ARGUMENT = new byte[0];

  private final int[] argumentIndexes;
  private final int virtualNodes;

  /**
   * One ring per service rather than a single one per balancer, because one balancer may serve the
   * stubs of several services, each with its own list; a single slot would rebuild a ring at every
   * call that alternates between them.
   */
  private final ConcurrentHashMap<ServiceName, Ring> rings = new ConcurrentHashMap<>();

  private ConsistentHashLoadBalancer(Builder builder) {
    this.argumentIndexes = builder.argumentIndexes.clone();
    this.virtualNodes = builder.virtualNodes;
  }

  /** A consistent hash load balancer on the first argument, with 160 virtual nodes a provider. */
  public static ConsistentHashLoadBalancer create() {
    return builder().build();
  }

  /** A builder of a consistent hash load balancer that chooses its key arguments or ring size. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Provider pick(List<Provider> providers, Call call) {
    if (providers.size() == 1) {
      return providers.get(0);
    }
    ServiceName service = call.service();
    Ring ring = rings.get(service);
    // The caller passes the same list until the candidates change, so identity tells whether the
    // ring still applies. Two threads may both rebuild it: the rings are equal, either one will do.
    if (ring == null || ring.providers != providers) {
      ring = new Ring(providers, virtualNodes);
      rings.put(service, ring);
    }
    return ring.locate(keyHash(call.arguments()));
  }

  /**
   * The hash of the key arguments: the first is hashed with seed 0, and each next one with the
   * previous hash as its seed, which tells {@code ("ab", "c")} from {@code ("a", "bc")}.
   */
  long keyHash(Object[] arguments) {
    long hash = 0;
    for (int index : argumentIndexes) {
      byte[] key =
          arguments != null && index < arguments.length ? keyBytes(arguments[index]) : NO_ARGUMENT;
      hash = Murmur3.hash64(key, hash);
    }
    return hash;
  }

  private static byte[] keyBytes(Object argument) {
    String text;
    if (argument instanceof String string) {
      text = string;
    } else if (argument instanceof Object[] array) {
      text = Arrays.deepToString(array);
    } else if (argument != null && argument.getClass().isArray()) {
      text = primitiveArrayToString(argument);
    } else {
      text = String.valueOf(argument);
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String primitiveArrayToString(Object array) {
    if (array instanceof byte[] a) {
      return Arrays.toString(a);
    } else if (array instanceof int[] a) {
      return Arrays.toString(a);
    } else if (array instanceof long[] a) {
      return Arrays.toString(a);
    } else if (array instanceof char[] a) {
      return Arrays.toString(a);
    } else if (array instanceof short[] a) {
      return Arrays.toString(a);
    } else if (array instanceof double[] a) {
      return Arrays.toString(a);
    } else if (array instanceof float[] a) {
      return Arrays.toString(a);
    } else {
      return Arrays.toString((boolean[]) array);
    }
  }

  @Override
  public String toString() {
    return "ConsistentHashLoadBalancer{arguments="
        + Arrays.toString(argumentIndexes)
        + ", virtualNodes="
        + virtualNodes
        + "}";
  }

  /**
   * The ring of one provider list: the sorted points of all virtual nodes and, at the same index,
   * the provider that owns each. A key belongs to the first point at or after its hash, wrapping
   * around.
   */
  private static final class Ring {

    final List<Provider> providers;
    private final long[] points;
    private final Provider[] owners;

    Ring(List<Provider> providers, int virtualNodes) {
      this.providers = providers;
      // A virtual node's point depends only on its provider's address and number, never on the
      // other providers: that is what keeps the keys of the others in place when one joins.
      record Node(long point, Provider owner) {}
      Node[] nodes = new Node[providers.size() * virtualNodes];
      int n = 0;
      for (Provider provider : providers) {
        String prefix = provider.address() + "#";
        for (int i = 0; i < virtualNodes; i++) {
          byte[] name = (prefix + i).getBytes(StandardCharsets.UTF_8);
          nodes[n++] = new Node(Murmur3.hash64(name), provider);
        }
      }
      // Should two points ever coincide, the address decides, so that every JVM builds the same
      // ring.
      Arrays.sort(
          nodes,
          Comparator.comparingLong(Node::point).thenComparing(node -> node.owner().address()));
      long[] points = new long[nodes.length];
      Provider[] owners = new Provider[nodes.length];
      int size = 0;
      for (Node node : nodes) {
        if (size > 0 && points[size - 1] == node.point()) {
          continue;
        }
        points[size] = node.point();
        owners[size] = node.owner();
        size++;
      }
      this.points = Arrays.copyOf(points, size);
      this.owners = Arrays.copyOf(owners, size);
    }

    Provider locate(long hash) {
      int index = Arrays.binarySearch(points, hash);
      if (index < 0) {
        index = -index - 1;
        if (index == points.length) {
          index = 0;
        }
      }
      return owners[index];
    }
  }

  /** Configures a {@link ConsistentHashLoadBalancer}; from {@link #builder()}. */
  public static final class Builder {

    private int[] argumentIndexes = {0};
    private int virtualNodes = DEFAULT_VIRTUAL_NODES;

    private Builder() {}

    /**
     * The indexes of the arguments that make the key, in the order they are hashed; {@code 0}, the
     * first argument, unless told otherwise.
     *
     * @throws IllegalArgumentException if no index is given, or one is negative
     */
    public Builder arguments(int... indexes) {
      if (indexes.length == 0) {
        throw new IllegalArgumentException("arguments: at least one index is needed");
      }
      for (int index : indexes) {
        if (index < 0) {
          throw new IllegalArgumentException("arguments: index must not be negative: " + index);
        }
      }
      this.argumentIndexes = indexes.clone();
      return this;
    }

    /**
     * The points each provider owns on the ring; 160 unless told otherwise. More points spread the
     * keys more evenly, at the cost of a larger ring (a long and a reference a point), rebuilt at
     * every change of the providers.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder virtualNodes(int virtualNodes) {
      if (virtualNodes < 1) {
        throw new IllegalArgumentException("virtualNodes must be positive: " + virtualNodes);
      }
      this.virtualNodes = virtualNodes;
      return this;
    }

    public ConsistentHashLoadBalancer build() {
      return new ConsistentHashLoadBalancer(this);
    }
  }
}
