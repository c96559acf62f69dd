package io.minirpc.internal.dispatch;

import io.minirpc.MethodCodec;
import io.minirpc.RpcException;
import io.minirpc.ServerCallContext;
import io.minirpc.Status;
import io.minirpc.internal.service.CodecFailure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request being served on the business executor: decodes the arguments, calls the
 * implementation, and answers, unless the caller's deadline has passed by then, in which case the
 * work is skipped or its answer dropped, since nobody waits for it any more. The same when the
 * caller cancels it. The same for every transport: the {@link CallResponder} speaks the transport's
 * language.
 *
 * <p>Cancelling does not interrupt the thread running the service: an interrupt can reach code that
 * does not expect one (an {@code InterruptibleChannel} closes for good when its thread is
 * interrupted, and a pooled resource may be shared with other calls), and would race with the
 * thread moving on to its next task. A cancelled call that is running simply runs to its end, and
 * its answer is dropped.
 */
public final class ServerCall implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ServerCall.class);

  private final ExportedMethod method;
  private final MethodCodec codec;
  private final ByteBuf body;
  private final CallResponder responder;
  private final long deadline;
  private final ServerCallContext context;
  private final ServerInterceptors interceptors;
  private volatile boolean cancelled;

  /**
   * @param body the request, positioned at the arguments; released by this call
   * @param context the call as interceptors and the service see it; its deadline is the caller's,
   *     in {@link System#nanoTime()} terms
   * @param interceptors asked about the call before its arguments are decoded
   */
  public ServerCall(
      ExportedMethod method,
      MethodCodec codec,
      ByteBuf body,
      CallResponder responder,
      ServerCallContext context,
      ServerInterceptors interceptors) {
    this.method = method;
    this.codec = codec;
    this.body = body;
    this.responder = responder;
    this.deadline = context.deadline().get().nanoTime();
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
    // Before a byte of the arguments is decoded: a refused caller gets no decoder to attack.
    Status refusal = interceptors.refusal(context);
    if (refusal != null) {
      body.release();
      responder.fail(refusal);
      return;
    }
    Object[] arguments;
    try {
      arguments = codec.readArguments(new ByteBufInputStream(body));
    } catch (Throwable t) {
      answerError(
          CodecFailure.of(
              "could not decode the arguments of " + method.descriptor().displayName(), t));
      return;
    } finally {
      body.release();
    }
    if (arguments.length != method.parameterCount()) {
      answerError(
          Status.INVALID_ARGUMENT
              .withDescription(
                  method.descriptor().displayName()
                      + " takes "
                      + method.parameterCount()
                      + " arguments, the request carried "
                      + arguments.length)
              .asException());
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
      answerFailure(
          new NullPointerException(
              method.descriptor().displayName() + " returned null instead of a CompletableFuture"));
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

  /** Drops a call that will never run (the server is closing): frees its request. */
  public void abandon() {
    body.release();
    responder.abandoned();
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
    Throwable cause = unwrap(t);
    if (cause instanceof RpcException e) {
      // The service chose a status on purpose; it travels as it is.
      responder.fail(e);
      return;
    }
    log.debug("{} threw", method.descriptor(), cause);
    // Only the type's name and the message travel: never the exception object, never toString().
    responder.fail(
        Status.APPLICATION_ERROR.withDescription(cause.getMessage()), cause.getClass().getName());
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private boolean expired() {
    return System.nanoTime() - deadline >= 0;
  }
}
