package io.minirpc;

import java.util.List;

/**
 * Chooses the provider of one call among those that can take it. Implementations (in {@code
 * rpc-core}): weighted random, round robin, least pending calls, consistent hash on the arguments.
 *
 * <p>Called on the caller's thread for every call and every retry: it must be thread-safe, must not
 * block, and should not allocate more than it must.
 */
public interface LoadBalancer {

  /**
   * Picks one of the providers.
   *
   * @param providers the candidates: never empty, in a stable order (sorted by address), and the
   *     same {@code List} instance until the set of candidates changes, so that an implementation
   *     may cache what it derives from it by identity
   * @param call the call being placed
   */
  Provider pick(List<Provider> providers, Call call);

  /** What a load balancer may know of the call it places. */
  interface Call {

    ServiceName service();

    /** The method's name. */
    String method();

    /** The call's arguments, as the caller passed them; do not modify. */
    Object[] arguments();

    /** The calls this client has in flight to this provider right now. */
    int pendingCalls(Provider provider);
  }
}
