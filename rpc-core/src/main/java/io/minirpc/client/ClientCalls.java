package io.minirpc.client;

import io.minirpc.Attachments;
import io.minirpc.internal.service.CodecFailure;
import io.netty.util.Timer;
import java.io.ByteArrayInputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the calls of one client, past its interceptors: each one a {@link RetryingCall}, started on
 * the caller's thread. An async call gets its future at once, ended at its deadline by a timer; a
 * blocking call is the same call, and its caller waits for the outcome up to the deadline. Shared
 * by all stubs of one client.
 */
final class ClientCalls {

  final ConnectionPool pool;
  final Timer timer;
  final RequestFrames frames;
  final RetryPolicy retryPolicy;
  final Admission admission;
  // Where the subscribers of response streams are called.
  final Executor streamExecutor;
  private final AtomicLong requestIds = new AtomicLong();

  ClientCalls(
      ConnectionPool pool,
      Timer timer,
      RequestFrames frames,
      RetryPolicy retryPolicy,
      Admission admission,
      Executor streamExecutor) {
    this.streamExecutor = streamExecutor;
    this.pool = pool;
    this.timer = timer;
    this.frames = frames;
    this.retryPolicy = retryPolicy;
    this.admission = admission;
  }

  long nextRequestId() {
    return requestIds.incrementAndGet();
  }

  /**
   * Calls a method and blocks until its result arrives or the deadline passes.
   *
   * @param deadline when the caller stops waiting, in {@link System#nanoTime()} terms
   * @param timeoutNanos the time from the call's start to its deadline, for messages
   */
  Object callBlocking(
      BoundMethod method,
      Object[] args,
      Attachments attachments,
      long deadline,
      long timeoutNanos) {
    if (timeoutNanos <= 0 || deadline - System.nanoTime() <= 0) {
      throw CallFailures.expiredBeforeSending(method, null, false, timeoutNanos);
    }
    RetryingCall call =
        new RetryingCall(
            this,
            method,
            args,
            attachments,
            deadline,
            timeoutNanos,
            true,
            new CompletableFuture<>());
    call.start(false);
    Object answer;
    try {
      answer = call.result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.expire();
      answer = lastWord(method, call);
    } catch (ExecutionException e) {
      throw CallFailures.inCallerThread(e.getCause());
    } catch (InterruptedException e) {
      call.result.completeExceptionally(CallFailures.interrupted(method, e));
      Thread.currentThread().interrupt();
      answer = lastWord(method, call);
    } finally {
      // Here rather than in a callback on the result: this thread is done waiting either way.
      call.ended();
    }
    return answer instanceof PendingCall.ResultBytes bytes ? decodeResult(method, bytes) : answer;
  }

  /** The outcome of a call just ended here, or by its answer arriving at the same moment. */
  private static Object lastWord(BoundMethod method, RetryingCall call) {
    try {
      return call.result.getNow(null);
    } catch (RuntimeException e) {
      throw CallFailures.inCallerThread(e.getCause() != null ? e.getCause() : e);
    }
  }

  private static Object decodeResult(BoundMethod method, PendingCall.ResultBytes result) {
    try {
      return method.codec.readResult(new ByteArrayInputStream(result.bytes()));
    } catch (Throwable t) {
      throw CodecFailure.of("could not decode the result of " + method.descriptor.displayName(), t);
    }
  }

  /**
   * A stream call of a method, not started yet: it starts when {@link ClientStreamCall#start} is
   * called, by the caller's pipeline.
   */
  ClientStreamCall newStreamCall(
      BoundMethod method, Object[] args, long deadline, long timeoutNanos) {
    return new ClientStreamCall(
        this, method, args, deadline, timeoutNanos, streamExecutor, frames.allocator());
  }

  /**
   * Calls a method without blocking: returns at once the future of its decoded result.
   *
   * @param result the future to complete: a plain one, or one that carries a served call's context
   *     into its callbacks
   */
  CompletableFuture<Object> callAsync(
      BoundMethod method,
      Object[] args,
      Attachments attachments,
      long deadline,
      long timeoutNanos,
      CompletableFuture<Object> result) {
    RetryingCall call =
        new RetryingCall(this, method, args, attachments, deadline, timeoutNanos, false, result);
    call.deadlineTimer(timer.newTimeout(t -> call.expire(), timeoutNanos, TimeUnit.NANOSECONDS));
    call.start(true);
    return result;
  }
}
