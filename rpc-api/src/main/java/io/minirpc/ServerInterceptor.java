package io.minirpc;

import java.util.concurrent.CompletableFuture;

/**
 * Wraps every call a server serves: sees it before any of its arguments is decoded, lets it proceed
 * through {@code next} or refuses it, and sees its outcome (the result, or an {@link RpcException}
 * and its {@link Status}) when it ends: the place for authentication, authorization, quotas, audit
 * logging, metrics and tracing.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder()
 *     .addService(new UserServiceImpl())
 *     .intercept((call, next) -> {
 *       if (!"acme".equals(call.attachments().get("tenant"))) {
 *         throw Status.PERMISSION_DENIED.withDescription("unknown tenant").asException();
 *       }
 *       return next.proceed(call);
 *     })
 *     .build();
 * }</pre>
 *
 * <p><b>Order.</b> Interceptors wrap one another in the order they were registered: the first one
 * registered is the outermost, so it sees the call first and the outcome last. The first to refuse
 * ends the call: the interceptors inside it and the service's code never run.
 *
 * <p><b>Which calls.</b> Every call that names an exported method passes through the interceptors
 * once, over the minirpc protocol and over the REST bridge alike: calls that run, and calls that
 * end without running (refused by a {@code maxConcurrentCalls} limit or a full executor, cancelled
 * or expired while queued): {@code next} then fails at once with that status. The REST bridge's
 * service listing ({@code GET /}) passes them too, as method {@code listServices} of service
 * {@value #REFLECTION_SERVICE}, and so does its health check ({@code GET /health}), as method
 * {@code check} of service {@value io.minirpc.health.Health#SERVICE}, which is how a health check
 * over the minirpc protocol passes them. Requests refused before their method is known (malformed,
 * unknown service, method or serializer, attachments over the limits, a server shutting down) do
 * not.
 *
 * <p><b>Outcomes.</b> The service's own exceptions reach interceptors as {@code APPLICATION_ERROR}
 * ({@link RpcException#remoteType()} names them); a call whose deadline passed before it finished
 * as {@code DEADLINE_EXCEEDED}, one its caller cancelled as {@code CANCELLED}. An interceptor that
 * throws, or fails its future with, an {@link RpcException} answers the call with its status;
 * anything else is a bug, answered {@code INTERNAL}, and the connection goes on serving.
 *
 * <p><b>Threads.</b> {@link #interceptCall} runs on the thread that will run the service method
 * (the business executor, by default), or on the I/O thread for a call refused before it reached
 * the executor. The outcome arrives on the thread that completes the call: that thread for a
 * blocking method, whichever completes the future of an asynchronous one.
 */
@FunctionalInterface
public interface ServerInterceptor {

  /**
   * The service name of the reflection service ({@code io.minirpc.reflection.Reflection}) and of
   * the REST bridge's service listing, as interceptors see it.
   */
  String REFLECTION_SERVICE = "minirpc.Reflection";

  /**
   * Serves the call through {@code next}, or refuses it.
   *
   * @param call the service, method, attachments, peer and deadline of the call; not yet {@link
   *     ServerCallContext#current() current}. Pass it, or a copy with more attachments or values,
   *     to {@code next}
   * @return the call's result, or a future failed with an {@link RpcException}; never {@code null}
   * @throws RpcException whose status (such as {@code UNAUTHENTICATED} or {@code
   *     PERMISSION_DENIED}) answers the call
   */
  CompletableFuture<Object> interceptCall(ServerCallContext call, Next next);

  /** The rest of the chain: the interceptors inside this one, then the service. */
  @FunctionalInterface
  interface Next {

    /** Serves the call; at most once. */
    CompletableFuture<Object> proceed(ServerCallContext call);
  }
}
