package io.minirpc.health;

import io.minirpc.Idempotent;
import io.minirpc.RpcService;

/**
 * The health service every {@code RpcServer} serves, in the spirit of gRPC's {@code
 * grpc.health.v1.Health}: whether the server, or one service it exports, is ready for calls.
 *
 * <pre>{@code
 * Health health = client.stub(Health.class);
 * if (health.check(ServiceName.of(UserService.class).key()) == ServingStatus.SERVING) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Every server serves it on its minirpc port, without announcing it in the registry, with every
 * serializer that can carry it (Kryo and JSON, not Protocol Buffers); the REST bridge answers it as
 * {@code GET /health} and {@code GET /health/<service key>} (see docs/REST.md). Server interceptors
 * see its calls as method {@code check} of service {@value #SERVICE} on both ports.
 */
@RpcService(name = Health.SERVICE)
public interface Health {

  /** The health service's name, as interceptors see it and as a request names it. */
  String SERVICE = "minirpc.Health";

  /** The name that stands for the server as a whole rather than one of its services. */
  String SERVER = "";

  /**
   * The serving status of a service the server exports, or of the whole server.
   *
   * @param service the service's key as exported ({@link io.minirpc.ServiceName#key()}: {@code
   *     name} or {@code name:version}), or {@value #SERVER} for the whole server
   * @throws io.minirpc.RpcException NOT_FOUND if the server exports no service of that key, as
   *     gRPC's {@code Check} fails for a service it does not know
   */
  @Idempotent
  ServingStatus check(String service);
}
