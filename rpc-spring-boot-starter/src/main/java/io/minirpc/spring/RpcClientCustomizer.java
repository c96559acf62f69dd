package io.minirpc.spring;

import io.minirpc.client.RpcClient;

/**
 * Changes the builder of the auto-configured {@link RpcClient} after the {@code minirpc.client.*}
 * properties are applied, for what properties cannot say (interceptors, a load balancer per
 * service, circuit breaker settings). Every bean of this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface RpcClientCustomizer {

  void customize(RpcClient.Builder builder);
}
