package io.minirpc.internal.dispatch;

import io.minirpc.RpcException;
import io.minirpc.ServerCallContext;
import io.minirpc.ServerInterceptor;
import io.minirpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's interceptors as a chain around each call, the first registered outermost. Shared by
 * every transport, so that a call over the REST bridge passes exactly the same code as one over the
 * minirpc protocol.
 *
 * <p>What an interceptor throws never escapes the chain: an {@link RpcException} becomes the
 * failure of its future (with {@code INTERNAL} for one whose status is OK), anything else an {@code
 * INTERNAL} failure, logged at ERROR with the interceptor's class, since it is a bug of the
 * server's and the caller learns no more than that. Each level past the first costs one small
 * object per call; a server without interceptors never comes here.
 */
public final class ServerInterceptors {

  /** No interceptor: every call goes straight to the service. */
  public static final ServerInterceptors NONE = new ServerInterceptors(List.of());

  private static final Logger log = LoggerFactory.getLogger(ServerInterceptors.class);

  private final ServerInterceptor[] interceptors;

  private ServerInterceptors(List<ServerInterceptor> interceptors) {
    this.interceptors = interceptors.toArray(new ServerInterceptor[0]);
  }

  public static ServerInterceptors of(List<ServerInterceptor> interceptors) {
    return interceptors.isEmpty() ? NONE : new ServerInterceptors(List.copyOf(interceptors));
  }

  public boolean isEmpty() {
    return interceptors.length == 0;
  }

  /** The innermost step of the chain: serves the call, and knows whether it got that far. */
  public interface Service extends ServerInterceptor.Next {

    /** Whether the call reached the service's code (or, for the listing, was answered). */
    boolean ran();
  }

  /**
   * Passes the call through every interceptor to the service.
   *
   * @return the call's outcome as the outermost interceptor gives it; never {@code null}, and this
   *     never throws
   */
  public CompletableFuture<Object> intercept(ServerCallContext call, Service service) {
    return interceptCall(0, call, service);
  }

  private CompletableFuture<Object> interceptCall(
      int index, ServerCallContext call, Service service) {
    ServerInterceptor interceptor = interceptors[index];
    ServerInterceptor.Next next =
        index + 1 == interceptors.length ? service : new Link(index + 1, service);
    try {
      CompletableFuture<Object> outcome = interceptor.interceptCall(call, next);
      if (outcome == null) {
        return CompletableFuture.failedFuture(
            Status.INTERNAL
                .withDescription(
                    "interceptor " + interceptor.getClass().getName() + " returned no future")
                .asException());
      }
      return outcome;
    } catch (RpcException e) {
      if (e.status().isOk()) {
        return CompletableFuture.failedFuture(
            Status.INTERNAL
                .withDescription(
                    "interceptor " + interceptor.getClass().getName() + " refused the call with OK")
                .asException(e));
      }
      return CompletableFuture.failedFuture(e);
    } catch (Throwable e) {
      // Whatever it is, the call must still be answered and its request freed.
      log.error(
          "Interceptor {} failed on a call of {}/{}",
          interceptor.getClass().getName(),
          call.service(),
          call.method(),
          e);
      return CompletableFuture.failedFuture(bug(e, service.ran()));
    }
  }

  /**
   * What answers a call whose chain failed this way (out of any {@code CompletionException}): an
   * {@link RpcException} as it is unless its status is OK, anything else {@code INTERNAL}, logged
   * at ERROR.
   *
   * @param ran whether the call reached the service
   */
  public static RpcException answerTo(Throwable failure, ServerCallContext call, boolean ran) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RpcException e) {
      if (!e.status().isOk()) {
        return e;
      }
      return Status.INTERNAL
          .withDescription("an interceptor failed the call with status OK")
          .asException(e);
    }
    log.error("An interceptor failed a call of {}/{}", call.service(), call.method(), cause);
    return bug(cause, ran);
  }

  private static RpcException bug(Throwable e, boolean ran) {
    String what = e.getClass().getName() + " in an interceptor";
    return Status.INTERNAL
        .withDescription(
            ran
                ? "the server failed to answer the call (" + what + ") after running it"
                : "the server failed to check the call (" + what + "); the call was not run")
        .asException(e);
  }

  /** The rest of the chain from one interceptor on. */
  private final class Link implements ServerInterceptor.Next {

    private final int index;
    private final Service service;

    Link(int index, Service service) {
      this.index = index;
      this.service = service;
    }

    @Override
    public CompletableFuture<Object> proceed(ServerCallContext call) {
      return interceptCall(index, call, service);
    }
  }
}
