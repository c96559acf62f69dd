package io.minirpc.internal.dispatch;

import io.minirpc.Deadline;
import io.minirpc.MethodCodec;
import io.minirpc.RpcException;
import io.minirpc.ServerCallContext;
import io.minirpc.Status;
import io.minirpc.internal.service.CodecFailure;
import io.minirpc.internal.service.MethodDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request being served on the business executor: passes it through the server's interceptors,
 * decodes the arguments, calls the implementation, and answers, unless the caller's deadline has
 * passed by then, in which case the work is skipped or its answer dropped, since nobody waits for
 * it any more. The same when the caller cancels it. The same for every transport: the {@link
 * CallResponder} speaks the transport's language.
 *
 * <p>Without interceptors a call runs straight through, with no future of its own for a blocking
 * method. With them, this call is the innermost {@code next} of their chain: it decodes the
 * arguments only when the interceptors let it proceed, makes the context they pass it the current
 * one for the service, and gives them the outcome as a future, failed with an {@link RpcException}
 * whatever went wrong: {@code APPLICATION_ERROR} (with the remote type) for what the service threw,
 * {@code DEADLINE_EXCEEDED} or {@code CANCELLED} for a call whose caller no longer waits, the
 * refusal itself for a call refused unrun. The chain's own outcome is then answered as a call
 * without interceptors would be; its {@link BiConsumer} side receives it.
 *
 * <p>Cancelling does not interrupt the thread running the service: an interrupt can reach code that
 * does not expect one (an {@code InterruptibleChannel} closes for good when its thread is
 * interrupted, and a pooled resource may be shared with other calls), and would race with the
 * thread moving on to its next task. A cancelled call that is running simply runs to its end, and
 * its answer is dropped.
 */
public final class ServerCall
    implements Runnable, ServerInterceptors.Service, BiConsumer<Object, Throwable> {

  private static final Logger log = LoggerFactory.getLogger(ServerCall.class);

  private static final AtomicIntegerFieldUpdater<ServerCall> PROCEEDED =
      AtomicIntegerFieldUpdater.newUpdater(ServerCall.class, "proceeded");

  private final ExportedMethod method;
  private final MethodCodec codec;
  private final ByteBuf body;
  private final CallResponder responder;
  private final Deadline deadline;
  private final ServerCallContext context;
  private final ServerInterceptors interceptors;
  // The request stream's items, passed to the service in its publisher parameter; or null.
  private final Flow.Publisher<Object> requestStream;
  private volatile boolean cancelled;

  // With interceptors only: 1 once the body is taken, by next or by the end of the chain.
  private volatile int proceeded;
  private volatile boolean ran;
  private RpcException refusal;

  /**
   * @param body the request, positioned at the arguments; released by this call
   * @param context the call as interceptors see it
   * @param deadline the caller's (the context's), or {@code null} if it set none
   * @param interceptors the chain the call passes through before its arguments are decoded
   */
  ServerCall(
      ExportedMethod method,
      MethodCodec codec,
      ByteBuf body,
      CallResponder responder,
      ServerCallContext context,
      Deadline deadline,
      ServerInterceptors interceptors,
      Flow.Publisher<Object> requestStream) {
    this.method = method;
    this.requestStream = requestStream;
    this.codec = codec;
    this.body = body;
    this.responder = responder;
    this.deadline = deadline;
    this.context = context;
    this.interceptors = interceptors;
  }

  /**
   * The caller gave up on this call: if it has not started it never will, and if it is running its
   * answer is dropped. May be called from any thread, any number of times.
   */
  public void cancel() {
    cancelled = true;
  }

  @Override
  public void run() {
    if (interceptors.isEmpty()) {
      runAlone();
    } else {
      interceptors.intercept(context, this).whenComplete(this);
    }
  }

  /**
   * Answers a call that will not run (a limit reached, a full executor) with this status, after the
   * interceptors, on this thread; frees its request.
   */
  void refuse(Status status) {
    if (interceptors.isEmpty()) {
      body.release();
      responder.refuseUnprocessed(status);
      return;
    }
    refusal = status.asException();
    interceptors.intercept(context, this).whenComplete(this);
  }

  /** Drops a call that will never run (the server is closing): frees its request. */
  public void abandon() {
    body.release();
    responder.abandoned();
  }

  /** The whole call, for a server without interceptors. */
  private void runAlone() {
    if (cancelled) {
      body.release();
      responder.cancelled();
      log.debug("Skipped {}: the caller cancelled it before it started", method.descriptor());
      return;
    }
    if (expired()) {
      body.release();
      responder.deadlinePassed();
      log.debug("Skipped {}: its deadline passed before it started", method.descriptor());
      return;
    }
    Object[] arguments;
    try {
      arguments = decodeArguments();
    } catch (RpcException e) {
      answerError(e);
      return;
    }
    if (cancelled) {
      responder.cancelled();
      log.debug("Skipped {}: the caller cancelled it before it started", method.descriptor());
      return;
    }
    Object result;
    try (ServerCallContext.Scope scope = context.open()) {
      result = method.invoke(arguments);
    } catch (Throwable t) {
      answerFailure(t);
      return;
    }
    if (!method.descriptor().isAsync()) {
      answer(result);
    } else if (result == null) {
      answerFailure(returnedNull());
    } else {
      ((CompletableFuture<?>) result)
          .whenComplete(
              (value, failure) -> {
                if (failure != null) {
                  answerFailure(failure);
                } else {
                  answer(value);
                }
              });
    }
  }

  /** The innermost step of the interceptors' chain: the service itself. */
  @Override
  public CompletableFuture<Object> proceed(ServerCallContext call) {
    if (call == null) {
      return CompletableFuture.failedFuture(
          Status.INTERNAL
              .withDescription("an interceptor passed no call to next for " + displayName())
              .asException());
    }
    if (!PROCEEDED.compareAndSet(this, 0, 1)) {
      return CompletableFuture.failedFuture(
          Status.INTERNAL
              .withDescription("an interceptor called next more than once for " + displayName())
              .asException());
    }
    if (refusal != null) {
      body.release();
      return CompletableFuture.failedFuture(refusal);
    }
    if (cancelled || expired()) {
      body.release();
      return CompletableFuture.failedFuture(noLongerAwaited(" before it started"));
    }
    Object[] arguments;
    try {
      arguments = decodeArguments();
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (cancelled) {
      return CompletableFuture.failedFuture(noLongerAwaited(" before it started"));
    }
    ran = true;
    Object result;
    try (ServerCallContext.Scope scope = call.open()) {
      result = method.invoke(arguments);
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(serviceFailure(t));
    }
    if (method.descriptor().hasResponseStream()) {
      if (cancelled || expired()) {
        return CompletableFuture.failedFuture(noLongerAwaited(" before it finished"));
      }
      // The interceptors see the whole stream: its end is the call's outcome.
      return responder.streamResponse(result);
    }
    if (!method.descriptor().isAsync()) {
      return cancelled || expired()
          ? CompletableFuture.failedFuture(noLongerAwaited(" before it finished"))
          : CompletableFuture.completedFuture(result);
    }
    if (result == null) {
      return CompletableFuture.failedFuture(serviceFailure(returnedNull()));
    }
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    ((CompletableFuture<?>) result)
        .whenComplete(
            (value, failure) -> {
              if (failure != null) {
                outcome.completeExceptionally(serviceFailure(failure));
              } else if (cancelled || expired()) {
                outcome.completeExceptionally(noLongerAwaited(" before it finished"));
              } else {
                outcome.complete(value);
              }
            });
    return outcome;
  }

  @Override
  public boolean ran() {
    return ran;
  }

  /** Answers the outcome of the interceptors' chain. */
  @Override
  public void accept(Object result, Throwable failure) {
    if (PROCEEDED.compareAndSet(this, 0, 1)) {
      // An interceptor answered without calling next: the arguments will never be read.
      body.release();
    }
    if (failure == null) {
      answer(result);
      return;
    }
    Throwable cause = unwrap(failure);
    if (refusal != null && cause == refusal) {
      responder.refuseUnprocessed(refusal.status());
    } else if (cancelled) {
      responder.cancelled();
    } else if (expired()) {
      responder.deadlinePassed();
    } else {
      responder.fail(ServerInterceptors.answerTo(cause, context, ran));
    }
  }

  /** Reads the arguments and frees the request; they must be as many as the method takes. */
  private Object[] decodeArguments() {
    Object[] arguments;
    try {
      arguments = codec.readArguments(new ByteBufInputStream(body));
    } catch (Throwable t) {
      throw CodecFailure.of("could not decode the arguments of " + displayName(), t);
    } finally {
      body.release();
    }
    int index = method.descriptor().requestStreamIndex();
    if (index >= 0 && arguments.length == method.parameterCount() - 1) {
      Object[] all = new Object[arguments.length + 1];
      System.arraycopy(arguments, 0, all, 0, index);
      all[index] = requestStream;
      System.arraycopy(arguments, index, all, index + 1, arguments.length - index);
      arguments = all;
    }
    if (arguments.length != method.parameterCount()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              displayName()
                  + " takes "
                  + method.parameterCount()
                  + " arguments, the request carried "
                  + arguments.length)
          .asException();
    }
    return arguments;
  }

  private void answer(Object result) {
    if (cancelled) {
      responder.cancelled();
      log.debug("Dropped the answer of {}: the caller cancelled it", method.descriptor());
      return;
    }
    if (expired()) {
      responder.deadlinePassed();
      log.debug("Dropped the answer of {}: its deadline passed", method.descriptor());
      return;
    }
    responder.succeed(method.descriptor(), codec, result);
  }

  /** Answers a request that could not be run, unless the caller has cancelled it meanwhile. */
  private void answerError(RpcException e) {
    if (cancelled) {
      responder.cancelled();
    } else {
      responder.fail(e);
    }
  }

  private void answerFailure(Throwable t) {
    if (cancelled) {
      responder.cancelled();
      return;
    }
    if (expired()) {
      responder.deadlinePassed();
      return;
    }
    answerServiceFailure(responder, t, method.descriptor());
  }

  /**
   * Answers what a service threw (or its future or stream failed with): an {@link RpcException} as
   * it is, since the service chose its status; anything else as APPLICATION_ERROR with only the
   * type's name and the message, never the exception object, never toString().
   */
  public static void answerServiceFailure(
      CallResponder responder, Throwable failure, MethodDescriptor method) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RpcException e) {
      responder.fail(e);
      return;
    }
    log.debug("{} threw", method, cause);
    responder.fail(
        Status.APPLICATION_ERROR.withDescription(cause.getMessage()), cause.getClass().getName());
  }

  /**
   * The service's failure as interceptors see it: as {@link #answerFailure} answers it, with the
   * cause kept for them (it never travels).
   */
  private RpcException serviceFailure(Throwable t) {
    if (cancelled || expired()) {
      return noLongerAwaited(" before it finished");
    }
    Throwable cause = unwrap(t);
    if (cause instanceof RpcException e) {
      return e;
    }
    log.debug("{} threw", method.descriptor(), cause);
    return new RpcException(
        Status.APPLICATION_ERROR.withDescription(cause.getMessage()),
        cause.getClass().getName(),
        cause);
  }

  /**
   * DEADLINE_EXCEEDED or CANCELLED, as interceptors see a call nobody waits for any more. The
   * deadline first: a minirpc client cancels the calls whose deadline passed, and that is why.
   */
  private RpcException noLongerAwaited(String when) {
    return expired()
        ? Status.DEADLINE_EXCEEDED
            .withDescription("the deadline of " + displayName() + " passed" + when)
            .asException()
        : Status.CANCELLED
            .withDescription("the caller cancelled " + displayName() + when)
            .asException();
  }

  private NullPointerException returnedNull() {
    return new NullPointerException(
        displayName() + " returned null instead of a CompletableFuture");
  }

  private String displayName() {
    return method.descriptor().displayName();
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private boolean expired() {
    return deadline != null && deadline.isExpired();
  }
}
