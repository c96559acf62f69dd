package io.minirpc;

import java.util.concurrent.CompletableFuture;

/**
 * Wraps every call a client makes: sees its request before it is sent and its outcome (the result,
 * or an {@link RpcException} and its {@link Status}) when it ends, and may add attachments, refuse,
 * retry or time the call. The caller's counterpart of {@link ServerInterceptor}, after gRPC's
 * {@code ClientInterceptor} and Armeria's decorators.
 *
 * <pre>{@code
 * ClientInterceptor timing = (request, next) -> {
 *   long start = System.nanoTime();
 *   return next.proceed(request.withAttachment("tenant", "acme"))
 *       .whenComplete((result, failure) -> record(
 *           request.method(), Status.fromThrowable(failure), System.nanoTime() - start));
 * };
 * RpcClient client = RpcClient.builder().addresses("127.0.0.1:7070").intercept(timing).build();
 * }</pre>
 *
 * <p><b>Order.</b> Interceptors wrap one another in the order they were registered: the first one
 * registered is the outermost, so it sees the request first and the outcome last.
 *
 * <p><b>Where it sits.</b> Once per call, around the client's own work: picking a provider, the
 * limit of calls in flight, sending, and the retries on other providers. An outcome is the call's,
 * not one attempt's. Calling {@code next} again retries the whole call (within its deadline).
 *
 * <p><b>Threads.</b> {@link #interceptCall} runs on the caller's thread. The outcome arrives on a
 * client I/O thread for an asynchronous method, and on the caller's thread for a blocking one: what
 * a callback does there must not block. An exception thrown by an interceptor fails the call
 * without sending it: an {@link RpcException} as it is, anything else as INTERNAL.
 */
@FunctionalInterface
public interface ClientInterceptor {

  /**
   * Makes the call, through {@code next}, or answers it without.
   *
   * @param request the call as made by the caller and the interceptors outside this one
   * @param next the rest of the chain: the interceptors inside this one, then the client
   * @return the call's result (the method's return value, {@code null} for void and one-way
   *     methods), or a future failed with an {@link RpcException}; never {@code null}
   */
  CompletableFuture<Object> interceptCall(ClientRequest request, Next next);

  /** The rest of the chain, which makes the call. */
  @FunctionalInterface
  interface Next {

    /** Makes the call of this request; may be called again to retry. */
    CompletableFuture<Object> proceed(ClientRequest request);
  }
}
