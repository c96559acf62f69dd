package io.minirpc;

/**
 * Looks at each call a server receives before any of its arguments is decoded, and lets it proceed
 * or refuses it: the place for authentication, authorization, quotas and audit logging.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder()
 *     .addService(new UserServiceImpl())
 *     .intercept(call -> {
 *       if (!"acme".equals(call.attachments().get("tenant"))) {
 *         throw Status.PERMISSION_DENIED.withDescription("unknown tenant").asException();
 *       }
 *     })
 *     .build();
 * }</pre>
 *
 * <p>Interceptors run in the order they were registered, on the thread that will run the service
 * method (the business executor, by default), for calls over the minirpc protocol and over the REST
 * bridge alike. The first to refuse ends the call: the service's code never runs, and later
 * interceptors are not asked. An interceptor that throws anything but an {@link RpcException} has a
 * bug: the call fails with {@code INTERNAL}, and the connection goes on serving.
 */
@FunctionalInterface
public interface ServerInterceptor {

  /**
   * Returns to let the call proceed, or throws to refuse it.
   *
   * @param call the service, method, attachments, peer and deadline of the call; not yet {@link
   *     ServerCallContext#current() current}
   * @throws RpcException whose status (such as {@code UNAUTHENTICATED} or {@code
   *     PERMISSION_DENIED}) answers the call
   */
  void interceptCall(ServerCallContext call);
}
