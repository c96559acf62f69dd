package io.minirpc.internal.dispatch;

import io.minirpc.RpcException;
import io.minirpc.ServerCallContext;
import io.minirpc.ServerInterceptor;
import io.minirpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's interceptors, asked in order about each call before its arguments are decoded. Shared
 * by every transport, so that a call over the REST bridge is checked exactly as one over the
 * minirpc protocol.
 */
public final class ServerInterceptors {

  /** No interceptor: every call proceeds. */
  public static final ServerInterceptors NONE = new ServerInterceptors(List.of());

  private static final Logger log = LoggerFactory.getLogger(ServerInterceptors.class);

  private final ServerInterceptor[] interceptors;

  private ServerInterceptors(List<ServerInterceptor> interceptors) {
    this.interceptors = interceptors.toArray(new ServerInterceptor[0]);
  }

  public static ServerInterceptors of(List<ServerInterceptor> interceptors) {
    return interceptors.isEmpty() ? NONE : new ServerInterceptors(List.copyOf(interceptors));
  }

  /**
   * The status that refuses the call, or {@code null} if every interceptor lets it proceed. An
   * interceptor that fails by throwing anything but an {@link RpcException} refuses the call with
   * INTERNAL: it is a bug of the server's, logged at ERROR, and the caller learns no more than
   * that.
   */
  public Status refusal(ServerCallContext call) {
    for (ServerInterceptor interceptor : interceptors) {
      try {
        interceptor.interceptCall(call, c -> CompletableFuture.completedFuture(null));
      } catch (RpcException e) {
        if (e.status().isOk()) {
          return Status.INTERNAL.withDescription(
              "interceptor " + interceptor.getClass().getName() + " refused the call with OK");
        }
        return e.status();
      } catch (Throwable e) {
        // Whatever it is, the call must still be answered and its request freed.
        log.error(
            "Interceptor {} failed on a call of {}/{}",
            interceptor.getClass().getName(),
            call.service(),
            call.method(),
            e);
        return Status.INTERNAL.withDescription(
            "the server failed to check the call ("
                + e.getClass().getName()
                + " in an interceptor); the call was not run");
      }
    }
    return null;
  }
}
