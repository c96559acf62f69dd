package io.minirpc.client;

import io.minirpc.Attachments;
import io.minirpc.Provider;
import io.minirpc.RpcException;
import io.netty.buffer.ByteBuf;
import io.netty.util.Timeout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;

/**
 * One call of a stub, from its first attempt to its outcome: takes a permit if the client limits
 * calls in flight, makes an attempt (pick a provider, encode, connect, wait for room, send), and
 * when an attempt fails in a way the {@link RetryPolicy} allows, makes another on a provider not
 * tried yet. Completes {@link #result} once, with the answer or the failure.
 *
 * <p>Blocking and async calls take this same way; a blocking caller waits for {@link #result}
 * within the deadline ({@link ClientCalls#callBlocking}) and then decodes the result itself, on its
 * own thread, so that one event loop does not decode the answers of every caller in turn. An async
 * call's result is decoded where it arrives.
 *
 * <p>A request is never sent without time left: a call whose deadline has passed before its request
 * is written (a tiny timeout, a slow connect, a retry) fails with DEADLINE_EXCEEDED. An attempt
 * given up while its request is pending (deadline, interrupt, cancelled future) is withdrawn from
 * its connection, which tells the server with a cancel frame.
 */
final class RetryingCall implements BiConsumer<Object, Throwable> {

  private static final AtomicIntegerFieldUpdater<RetryingCall> PERMIT_RETURNED =
      AtomicIntegerFieldUpdater.newUpdater(RetryingCall.class, "permitReturned");

  private final ClientCalls calls;
  private final BoundMethod method;
  private final Object[] args;
  private final Attachments attachments;
  private final long callDeadline;
  private final long timeoutNanos;
  private final boolean callerDecodes;
  final CompletableFuture<Object> result;
  // Null when the client limits no calls in flight.
  private volatile CompletableFuture<Void> permit;
  // The provider of the latest attempt, for the message of a deadline; null before the first.
  private volatile Provider provider;
  private volatile int permitReturned;
  // The latest attempt, ended with the call: one callback on the result serves every attempt.
  private volatile PendingCall current;
  private volatile Timeout deadlineTimer;

  /**
   * @param callerDecodes whether the result completes with the answer's bytes, for the caller to
   *     decode, rather than with the decoded result
   */
  RetryingCall(
      ClientCalls calls,
      BoundMethod method,
      Object[] args,
      Attachments attachments,
      long callDeadline,
      long timeoutNanos,
      boolean callerDecodes,
      CompletableFuture<Object> result) {
    this.calls = calls;
    this.method = method;
    this.args = args;
    this.attachments = attachments;
    this.callDeadline = callDeadline;
    this.timeoutNanos = timeoutNanos;
    this.callerDecodes = callerDecodes;
    this.result = result;
  }

  /**
   * Starts the call on the caller's thread.
   *
   * @param endsWithResult whether the call's end is to run when its result completes, however: an
   *     async call's result is the caller's, who may cancel it. A blocking caller calls {@link
   *     #ended()} itself once it stops waiting, which saves a callback per call.
   */
  void start(boolean endsWithResult) {
    if (endsWithResult) {
      result.whenComplete(this);
    }
    CompletableFuture<Void> p = calls.admission.permit();
    if (p == null) {
      attempt(1, null, null, true);
      return;
    }
    permit = p;
    if (result.isDone()) {
      returnPermit();
    } else if (p.isDone()) {
      attempt(1, null, null, true);
    } else {
      // This runs where the permit is given back (often an event loop): it must not block there.
      p.thenRun(() -> attempt(1, null, null, false));
    }
  }

  /**
   * The call has ended, however: its deadline, or the caller cancelling its future, ends the
   * attempt still pending, and its permit goes back.
   */
  @Override
  public void accept(Object value, Throwable failure) {
    ended();
  }

  /** The call has ended, however: see {@link #accept}. Runs once or more, with the same effect. */
  void ended() {
    Timeout timer = deadlineTimer;
    if (timer != null) {
      timer.cancel();
    }
    PendingCall call = current;
    if (call != null) {
      call.abandon();
    }
    returnPermit();
  }

  /** The timer that ends an async call at its deadline, stopped when the call ends first. */
  void deadlineTimer(Timeout timer) {
    this.deadlineTimer = timer;
  }

  /** Gives the permit back, once, whichever of the call's end and its start sees it first. */
  private void returnPermit() {
    CompletableFuture<Void> p = permit;
    if (p != null && PERMIT_RETURNED.compareAndSet(this, 0, 1)) {
      calls.admission.giveBack(p);
    }
  }

  /**
   * Ends the call at its deadline, if nothing else has: RESOURCE_EXHAUSTED if it never got a
   * permit, DEADLINE_EXCEEDED otherwise. The attempt pending then is withdrawn.
   */
  void expire() {
    CompletableFuture<Void> p = permit;
    result.completeExceptionally(
        p != null && !p.isDone()
            ? calls.admission.tooManyInFlight(method, timeoutNanos)
            : CallFailures.deadlineExceeded(method, provider, false, timeoutNanos));
  }

  private void attempt(
      int attempt, List<Provider> tried, RpcException lastFailure, boolean onCallersThread) {
    if (result.isDone()) {
      return;
    }
    if (callDeadline - System.nanoTime() <= 0) {
      result.completeExceptionally(
          lastFailure != null
              ? lastFailure
              : CallFailures.expiredBeforeSending(method, null, false, timeoutNanos));
      return;
    }
    long deadline = calls.retryPolicy.attemptDeadline(method, callDeadline);
    long requestId = calls.nextRequestId();
    Provider chosen;
    ByteBuf frame;
    CompletableFuture<ClientConnection> connecting;
    try {
      chosen = method.providers.pick(method, args, tried, callDeadline);
    } catch (RpcException e) {
      // No other provider to retry on: the failure that made us look for one says more.
      result.completeExceptionally(lastFailure != null ? lastFailure : e);
      return;
    }
    provider = chosen;
    try {
      frame = calls.frames.encode(method, args, attachments, requestId);
      connecting = calls.pool.connection(chosen);
    } catch (RpcException e) {
      result.completeExceptionally(e);
      return;
    }
    if (onCallersThread
        && connecting.isDone()
        && !connecting.isCompletedExceptionally()
        && !calls.pool.isEventLoopThread()) {
      // The caller's own thread may wait a little for room: that slows down a caller who starts
      // calls faster than the connection sends them, which is the point.
      try {
        calls.admission.awaitRoom(method, connecting.join(), deadline);
      } catch (RpcException e) {
        frame.release();
        result.completeExceptionally(e);
        return;
      }
    }
    Attempt started = new Attempt(attempt, tried, chosen, requestId, frame, deadline);
    if (connecting.isDone() && !connecting.isCompletedExceptionally()) {
      started.connected(connecting.join());
      return;
    }
    connecting.whenComplete(
        (connection, failure) -> {
          if (failure != null) {
            started.frame.release();
            started.fail(failure);
            return;
          }
          started.connected(connection);
        });
  }

  /**
   * One attempt of the call on one provider: its request, its pending call, and what its outcome
   * leads to (the call's result, or another attempt). It is the pending call itself, so that its
   * end costs no callback.
   */
  private final class Attempt extends PendingCall {
    private final int number;
    private final List<Provider> tried;
    private final Provider chosen;
    private final long requestId;
    private final ByteBuf frame;
    private final long deadline;
    // Whether the attempt's own timeout ends it before the call's deadline.
    private final boolean attemptOnly;
    private final Timeout attemptTimeout;

    Attempt(
        int number,
        List<Provider> tried,
        Provider chosen,
        long requestId,
        ByteBuf frame,
        long deadline) {
      super(method.descriptor, method.codec, callerDecodes);
      this.number = number;
      this.tried = tried;
      this.chosen = chosen;
      this.requestId = requestId;
      this.frame = frame;
      this.deadline = deadline;
      this.attemptOnly = deadline != callDeadline;
      this.attemptTimeout =
          attemptOnly
              ? calls.timer.newTimeout(
                  t ->
                      fail(
                          CallFailures.deadlineExceeded(
                              method, chosen, true, calls.retryPolicy.attemptTimeoutNanos())),
                  Math.max(0, deadline - System.nanoTime()),
                  TimeUnit.NANOSECONDS)
              : null;
      RetryingCall.this.current = this;
      if (result.isDone()) {
        // Ended meanwhile: the call's end may have run before this attempt was current.
        abandon();
      }
    }

    /** The timeout that runs out for this attempt, for messages. */
    private long timeout() {
      return attemptOnly ? calls.retryPolicy.attemptTimeoutNanos() : timeoutNanos;
    }

    /** The attempt ended: answered, failed or abandoned. */
    @Override
    void ended(Object value, Throwable failure) {
      if (attemptTimeout != null) {
        attemptTimeout.cancel();
      }
      if (failure == null) {
        // Answered: its connection took it off its pending calls already, or, one-way, it was
        // never on them.
        calls.retryPolicy.succeeded(chosen);
        result.complete(value);
        return;
      }
      // Failed or abandoned: no longer waited for, the call is taken off its connection.
      withdraw();
      RpcException e = CallFailures.asRpcException(failure);
      if (e == null) {
        return;
      }
      if (calls.retryPolicy.mayRetry(method, e, chosen, number, callDeadline)) {
        attempt(number + 1, with(tried, chosen), e, false);
      } else {
        result.completeExceptionally(e);
      }
    }

    /** Sends the request once the connection has room, or fails the attempt if it gets none. */
    void connected(ClientConnection connection) {
      if (isEnded()) {
        frame.release();
        return;
      }
      // Checked here first so that a connection with room costs no callbacks; a closed connection
      // takes the frame too, and fails the call as not sent.
      if (connection.hasRoom() || !connection.isUsable()) {
        send(connection);
        return;
      }
      calls.admission.whenRoom(
          connection,
          calls.admission.roomWaitUntil(deadline),
          () -> send(connection),
          () -> {
            frame.release();
            fail(calls.admission.outboundFull(method, connection));
          });
    }

    /** Sends the request, unless the attempt has ended or has no time left. */
    private void send(ClientConnection connection) {
      if (isEnded()) {
        frame.release();
        return;
      }
      if (!RequestFrames.setTimeout(frame, deadline)) {
        frame.release();
        fail(
            CallFailures.expiredBeforeSending(
                method, connection.provider(), attemptOnly, timeout()));
        return;
      }
      if (method.descriptor.isOneWay()) {
        // Nothing will answer: the attempt ends once the request is handed to the connection.
        try {
          connection.sendOneWay(frame);
        } catch (RpcException e) {
          fail(e);
          return;
        }
        complete(null);
        return;
      }
      connection.send(requestId, frame, this);
    }
  }

  private static List<Provider> with(List<Provider> tried, Provider provider) {
    List<Provider> list = tried == null ? new ArrayList<>(2) : tried;
    list.add(provider);
    return list;
  }
}
