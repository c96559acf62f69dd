package io.minirpc.registry.zookeeper;

import io.minirpc.Idempotent;
import io.minirpc.RpcService;

/**
 * A service whose every answer names the provider that ran it, with an idempotent and a
 * non-idempotent method, for tests of discovery, load balancing and failover across providers.
 */
@RpcService(name = "test.Node", version = "1")
public interface NodeService {

  /** The name of the provider that ran the call; safe to run again. */
  @Idempotent
  String name();

  /** Records an order and returns the name of the provider that ran it; not safe to run twice. */
  String order(String id);
}
