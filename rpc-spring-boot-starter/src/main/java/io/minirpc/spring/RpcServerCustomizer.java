package io.minirpc.spring;

import io.minirpc.server.RpcServer;

/**
 * Changes the builder of the auto-configured {@link RpcServer} after the {@code minirpc.server.*}
 * properties are applied, for what properties cannot say (interceptors in a given order, limits per
 * method, a serializer with registrations). Every bean of this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface RpcServerCustomizer {

  void customize(RpcServer.Builder builder);
}
