package io.minirpc.http;

import io.minirpc.RpcException;
import io.minirpc.ServerCallContext;
import io.minirpc.internal.dispatch.ServerInterceptors;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.CompletableFuture;

/**
 * One of the bridge's own answers (the service listing, a health check), served as the innermost
 * step of the server's interceptors, so that they see it as a call of its service and method.
 */
abstract class OwnAnswer implements ServerInterceptors.Service {

  private final String service;
  private final String method;
  private final String what;
  private volatile boolean ran;

  /**
   * @param service the service interceptors see
   * @param method the method interceptors see
   * @param what names the answer in messages, such as "the health check"
   */
  OwnAnswer(String service, String method, String what) {
    this.service = service;
    this.method = method;
    this.what = what;
  }

  String service() {
    return service;
  }

  String method() {
    return method;
  }

  String what() {
    return what;
  }

  /**
   * The call's result, as interceptors see it.
   *
   * @throws RpcException as a call that fails would, such as NOT_FOUND for an unknown service
   */
  abstract Object result();

  /**
   * The HTTP answer to the call, given the result the interceptors passed on.
   *
   * @throws RpcException INTERNAL if an interceptor put a result of another kind in its place
   */
  abstract FullHttpResponse response(HttpVersion version, Object result);

  @Override
  public final CompletableFuture<Object> proceed(ServerCallContext call) {
    ran = true;
    try {
      return CompletableFuture.completedFuture(result());
    } catch (RpcException e) {
      // Interceptors see the failure as the outcome, as they would over the minirpc protocol.
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public final boolean ran() {
    return ran;
  }
}
