package io.minirpc.reflection;

import io.minirpc.Idempotent;
import io.minirpc.RpcService;
import io.minirpc.ServerInterceptor;

/**
 * The reflection service every {@code RpcServer} serves unless built with {@code
 * reflection(false)}, in the spirit of gRPC's server reflection: which services the server exports,
 * their methods, and their parameter and result types, as JSON text, so that a tool without the
 * interfaces on its classpath can find out what to call.
 *
 * <pre>{@code
 * Reflection reflection = client.stub(Reflection.class);
 * String listing = reflection.listServices();
 * String users = reflection.describe("example.UserService");
 * }</pre>
 *
 * <p>The answers are the REST bridge's service listing ({@code GET /}, see docs/REST.md), byte for
 * byte: each service's name, version and methods, each method's REST path, parameter types, result
 * type and default timeout in milliseconds (its {@code CallTimeout}, else the server's REST
 * timeout), and an {@code "unavailable"} reason for a service JSON cannot carry (which REST and
 * generic calls then cannot reach). JSON text rather than typed values keeps the answer the same
 * whichever serializer carries it.
 *
 * <p>Only the application's services are listed and described. The services every server has by
 * itself, {@value io.minirpc.health.Health#SERVICE} and this one, are not, as the registry does not
 * announce them either: they are described by their interfaces here in rpc-api, and {@link
 * #describe} answers NOT_FOUND for them.
 *
 * <p>Calls of this service pass the server's interceptors as any call does, as methods {@code
 * listServices} and {@code describe} of service {@value #SERVICE}: the listing discloses what a
 * server offers, so an authenticating interceptor refuses unauthenticated ones (HMAC does) and a
 * server that must not disclose it switches the service off.
 */
@RpcService(name = Reflection.SERVICE)
public interface Reflection {

  /** The reflection service's name, as interceptors see it and as a request names it. */
  String SERVICE = ServerInterceptor.REFLECTION_SERVICE;

  /**
   * Every application service the server exports, as the JSON document {@code {"services": [...]}},
   * sorted by service key, indented for reading.
   */
  @Idempotent
  String listServices();

  /**
   * One application service the server exports, as the JSON object {@link #listServices()} lists
   * for it.
   *
   * @param serviceKey the service's key ({@link io.minirpc.ServiceName#key()}: {@code name} or
   *     {@code name:version})
   * @throws io.minirpc.RpcException NOT_FOUND if the server exports no application service of that
   *     key
   */
  @Idempotent
  String describe(String serviceKey);
}
