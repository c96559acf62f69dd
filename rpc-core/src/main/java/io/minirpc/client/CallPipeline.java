package io.minirpc.client;

import io.minirpc.ClientInterceptor;
import io.minirpc.ClientRequest;
import io.minirpc.Deadline;
import io.minirpc.RpcException;
import io.minirpc.ServerCallContext;
import io.minirpc.Status;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The way every call of a client's stubs takes: fixes the call's deadline (the earliest of its
 * timeout, its stub's deadline and the deadline of the call this thread serves), runs the client's
 * interceptors around it, first registered outermost, and hands it to {@link ClientCalls}, which
 * picks providers, sends and retries.
 *
 * <p>Without interceptors a call goes straight to {@link ClientCalls}, which decodes a blocking
 * call's result on the caller's thread. With interceptors, every call runs asynchronously through
 * them and a blocking call waits for the outcome within its deadline.
 *
 * <p>An async call made while serving a call returns a {@link ContextFuture}, whose callbacks run
 * with the served call current.
 */
final class CallPipeline {

  /**
   * How long after its deadline an interceptor chain that has not ended is failed: the call itself
   * fails at its deadline, and the interceptors get this long to pass that on.
   */
  private static final long CHAIN_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final ClientCalls calls;
  private final Timer timer;
  private final ClientInterceptor[] interceptors;

  CallPipeline(ClientCalls calls, Timer timer, List<ClientInterceptor> interceptors) {
    this.calls = calls;
    this.timer = timer;
    this.interceptors = interceptors.toArray(new ClientInterceptor[0]);
  }

  /** Makes a call of a stub: returns its result, or its future for an async method. */
  Object call(BoundMethod method, Object[] args) {
    long now = System.nanoTime();
    ServerCallContext served = ServerCallContext.current();
    long deadline = deadline(method, served, now);
    long timeoutNanos = deadline - now;
    boolean async = method.descriptor.isAsync();
    if (method.descriptor.isStreaming()) {
      return callStream(method, args, served, deadline, timeoutNanos);
    }
    if (interceptors.length == 0) {
      if (async) {
        return calls.callAsync(
            method, args, method.attachments, deadline, timeoutNanos, newResult(served));
      }
      return calls.callBlocking(method, args, method.attachments, deadline, timeoutNanos);
    }
    ClientRequest request =
        new ClientRequest(
            method.descriptor.serviceKey(),
            method.descriptor.name(),
            args,
            method.attachments,
            Deadline.atNanoTime(deadline),
            method.descriptor.isOneWay(),
            method.descriptor.isIdempotent());
    StartedCalls started = new StartedCalls();
    CompletableFuture<Object> outcome = proceed(0, request, method, r -> send(r, method, started));
    return async
        ? asyncResult(method, outcome, started, served, deadline, timeoutNanos)
        : awaitOutcome(method, outcome, started, deadline, timeoutNanos);
  }

  /**
   * The earliest of the method's timeout from now, the stub's deadline, and the deadline of the
   * call this thread serves, so that a nested call never outlives the call it serves.
   */
  private static long deadline(BoundMethod method, ServerCallContext served, long now) {
    long deadline = now + method.timeoutNanos;
    if (method.deadline != null) {
      deadline = earlier(deadline, now + method.deadline.timeRemaining(TimeUnit.NANOSECONDS));
    }
    if (served != null) {
      Deadline inherited = served.deadline().orElse(null);
      if (inherited != null) {
        deadline = earlier(deadline, now + inherited.timeRemaining(TimeUnit.NANOSECONDS));
      }
    }
    return deadline;
  }

  private static long earlier(long a, long b) {
    return b - a < 0 ? b : a;
  }

  private static CompletableFuture<Object> newResult(ServerCallContext served) {
    return served == null ? new CompletableFuture<>() : new ContextFuture<>(served);
  }

  /**
   * A stream call: a publisher whose every subscription is one call, opened at its subscriber's
   * first demand, for a method with a response stream; else the call, opened now, whose result the
   * caller gets (its future, or waits for it).
   */
  private Object callStream(
      BoundMethod method,
      Object[] args,
      ServerCallContext served,
      long deadline,
      long timeoutNanos) {
    if (method.descriptor.hasResponseStream()) {
      return (Flow.Publisher<Object>)
          subscriber -> {
            // Each subscription is a call of its own, and its timeout runs from now.
            long now = System.nanoTime();
            long start = deadline(method, served, now);
            ClientStreamCall call = calls.newStreamCall(method, args, start, start - now);
            call.openWith(c -> openStream(c, method, args, start));
            call.responseItems.subscribe(subscriber);
          };
    }
    ClientStreamCall call = calls.newStreamCall(method, args, deadline, timeoutNanos);
    openStream(call, method, args, deadline);
    if (method.descriptor.isAsync()) {
      if (served == null) {
        return call.result;
      }
      CompletableFuture<Object> result = newResult(served);
      call.result.whenComplete(
          (value, failure) -> {
            if (failure == null) {
              result.complete(value);
            } else {
              result.completeExceptionally(failure);
            }
          });
      result.whenComplete(
          (value, failure) -> {
            if (result.isCancelled()) {
              call.result.cancel(false);
            }
          });
      return result;
    }
    try {
      return call.result.get(
          Math.max(0, deadline - System.nanoTime()) + CHAIN_GRACE_NANOS, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw CallFailures.inCallerThread(asRpcException(e.getCause()));
    } catch (TimeoutException e) {
      RpcException late = CallFailures.deadlineExceeded(method, null, false, timeoutNanos);
      call.result.completeExceptionally(late);
      throw late;
    } catch (InterruptedException e) {
      RpcException interrupted = CallFailures.interrupted(method, e);
      call.result.completeExceptionally(interrupted);
      Thread.currentThread().interrupt();
      throw interrupted;
    }
  }

  /**
   * Opens a stream call through the interceptors: the innermost step sends its request with the
   * attachments they pass on (its arguments and deadline stay the stub's), and the chain's outcome
   * is the call's end. A chain that fails first fails the call.
   */
  private void openStream(ClientStreamCall call, BoundMethod method, Object[] args, long deadline) {
    if (interceptors.length == 0) {
      call.start(method.attachments);
      return;
    }
    ClientRequest request =
        new ClientRequest(
            method.descriptor.serviceKey(),
            method.descriptor.name(),
            args,
            method.attachments,
            Deadline.atNanoTime(deadline),
            false,
            method.descriptor.isIdempotent());
    proceed(
            0,
            request,
            method,
            r -> {
              call.start(r.attachments());
              return call.result;
            })
        .whenComplete(
            (value, failure) -> {
              if (failure != null) {
                call.result.completeExceptionally(asRpcException(failure));
              }
            });
  }

  /** Runs the interceptor at this index, or, past the last, the call itself. */
  private CompletableFuture<Object> proceed(
      int index,
      ClientRequest request,
      BoundMethod method,
      Function<ClientRequest, CompletableFuture<Object>> innermost) {
    if (index == interceptors.length) {
      return innermost.apply(request);
    }
    ClientInterceptor interceptor = interceptors[index];
    // Whether this interceptor passed the call on, so that a failure of its own can say whether
    // anything was sent.
    boolean[] passedOn = {false};
    ClientInterceptor.Next next =
        r -> {
          passedOn[0] = true;
          if (r == null) {
            return CompletableFuture.failedFuture(
                interceptorBug(interceptor, method, "passed a null request on"));
          }
          return proceed(index + 1, r, method, innermost);
        };
    CompletableFuture<Object> outcome;
    try {
      outcome = interceptor.interceptCall(request, next);
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          Status.INTERNAL
              .withDescription(
                  "client interceptor "
                      + interceptor.getClass().getName()
                      + " failed on "
                      + method.descriptor.displayName()
                      + ": "
                      + e
                      + (passedOn[0] ? "" : "; nothing was sent"))
              .asException(e));
    }
    if (outcome == null) {
      return CompletableFuture.failedFuture(
          interceptorBug(interceptor, method, "returned null instead of a future"));
    }
    return outcome;
  }

  private static RpcException interceptorBug(
      ClientInterceptor interceptor, BoundMethod method, String what) {
    return Status.INTERNAL
        .withDescription(
            "client interceptor "
                + interceptor.getClass().getName()
                + " "
                + what
                + " on "
                + method.descriptor.displayName())
        .asException();
  }

  /** The innermost step: the call of this request, as the interceptors left it. */
  private CompletableFuture<Object> send(
      ClientRequest request, BoundMethod method, StartedCalls started) {
    long remaining = request.deadline().timeRemaining(TimeUnit.NANOSECONDS);
    long deadline = System.nanoTime() + remaining;
    if (method.descriptor.isOneWay()) {
      // Ends once the request is sent: nothing to wait for, on any thread.
      try {
        calls.callBlocking(
            method, request.argumentArray(), request.attachments(), deadline, remaining);
        return CompletableFuture.completedFuture(null);
      } catch (RpcException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<Object> call =
        calls.callAsync(
            method,
            request.argumentArray(),
            request.attachments(),
            deadline,
            remaining,
            new CompletableFuture<>());
    started.add(call);
    return call;
  }

  private CompletableFuture<Object> asyncResult(
      BoundMethod method,
      CompletableFuture<Object> outcome,
      StartedCalls started,
      ServerCallContext served,
      long deadline,
      long timeoutNanos) {
    CompletableFuture<Object> result = newResult(served);
    Timeout guard =
        timer.newTimeout(
            t ->
                result.completeExceptionally(
                    CallFailures.deadlineExceeded(method, null, false, timeoutNanos)),
            deadline - System.nanoTime() + CHAIN_GRACE_NANOS,
            TimeUnit.NANOSECONDS);
    outcome.whenComplete(
        (value, failure) -> {
          guard.cancel();
          if (failure == null) {
            result.complete(value);
          } else {
            result.completeExceptionally(asRpcException(failure));
          }
        });
    // A caller who cancels its future, or stops waiting, ends the calls still running.
    result.whenComplete(
        (value, failure) -> {
          if (result.isCancelled()) {
            started.cancelAll();
          }
        });
    return result;
  }

  private static Object awaitOutcome(
      BoundMethod method,
      CompletableFuture<Object> outcome,
      StartedCalls started,
      long deadline,
      long timeoutNanos) {
    try {
      return outcome.get(
          Math.max(0, deadline - System.nanoTime()) + CHAIN_GRACE_NANOS, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw CallFailures.inCallerThread(asRpcException(e.getCause()));
    } catch (TimeoutException e) {
      started.cancelAll();
      throw CallFailures.deadlineExceeded(method, null, false, timeoutNanos);
    } catch (CancellationException e) {
      throw Status.CANCELLED
          .withDescription("an interceptor cancelled " + method.descriptor.displayName())
          .asException(e);
    } catch (InterruptedException e) {
      started.cancelAll();
      Thread.currentThread().interrupt();
      throw CallFailures.interrupted(method, e);
    }
  }

  /** The failure as the caller gets it: an RpcException, INTERNAL if it was anything else. */
  private static RpcException asRpcException(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof RpcException e) {
      return e;
    }
    if (cause instanceof CancellationException) {
      return Status.CANCELLED.withDescription("the call was cancelled").asException(cause);
    }
    return Status.INTERNAL
        .withDescription("a client interceptor failed the call with " + cause)
        .asException(cause);
  }

  /** The calls an interceptor chain started for one stub call, to end them if it is given up. */
  private static final class StartedCalls {
    private CompletableFuture<Object> first;
    private List<CompletableFuture<Object>> more;

    synchronized void add(CompletableFuture<Object> call) {
      if (first == null) {
        first = call;
      } else {
        if (more == null) {
          more = new ArrayList<>(2);
        }
        more.add(call);
      }
    }

    void cancelAll() {
      CompletableFuture<Object> f;
      List<CompletableFuture<Object>> rest;
      synchronized (this) {
        f = first;
        rest = more == null ? List.of() : List.copyOf(more);
      }
      if (f != null) {
        f.cancel(false);
      }
      rest.forEach(c -> c.cancel(false));
    }
  }
}
