package io.minirpc.client;

import io.minirpc.Attachments;
import io.minirpc.Provider;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameTooLargeException;
import io.minirpc.internal.protocol.FrameWriter;
import io.minirpc.internal.service.CodecFailure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes calls: picks a provider, encodes the request, sends it on a connection to that provider,
 * and waits (or not) for the answer within the call's deadline; tries another provider when an
 * attempt fails in a way that allows it. Shared by all stubs of one client.
 *
 * <p>An attempt is retried on a provider not tried yet by this call, while attempts, deadline and
 * retry budget allow, when:
 *
 * <ul>
 *   <li>its request certainly ran on no server ({@link UnprocessedRequestException}: not sent, or
 *       refused unrun by a provider going away or too busy), whatever the method;
 *   <li>the method is {@link io.minirpc.Idempotent} and the attempt failed with UNAVAILABLE, or
 *       with DEADLINE_EXCEEDED at the end of its own attempt timeout.
 * </ul>
 *
 * <p>A request is never sent without time left: a call whose deadline has passed before its request
 * is written (a tiny timeout, a slow connect, a retry) fails with DEADLINE_EXCEEDED here. An
 * attempt given up while its request is pending (deadline, interrupt, cancelled future) is
 * withdrawn from its connection, which tells the server with a cancel frame.
 */
final class Caller {

  private static final Logger log = LoggerFactory.getLogger(Caller.class);

  private final ConnectionPool pool;
  private final Timer timer;
  private final ByteBufAllocator alloc;
  private final int serializerId;
  private final int maxBodySize;
  private final ProviderHealthTable health;
  private final RetryBudget retryBudget;
  private final int maxAttempts;
  private final long attemptTimeoutNanos;
  private final long writeBufferWaitNanos;
  // Null when the client sets no limit of calls in flight.
  private final CallPermits permits;
  private final AtomicLong requestIds = new AtomicLong();

  Caller(
      ConnectionPool pool,
      Timer timer,
      ByteBufAllocator alloc,
      int serializerId,
      int maxBodySize,
      ProviderHealthTable health,
      RetryBudget retryBudget,
      int maxAttempts,
      long attemptTimeoutNanos,
      long writeBufferWaitNanos,
      int maxCallsInFlight) {
    this.pool = pool;
    this.timer = timer;
    this.alloc = alloc;
    this.serializerId = serializerId;
    this.maxBodySize = maxBodySize;
    this.health = health;
    this.retryBudget = retryBudget;
    this.maxAttempts = maxAttempts;
    this.attemptTimeoutNanos = attemptTimeoutNanos;
    this.writeBufferWaitNanos = writeBufferWaitNanos;
    this.permits = maxCallsInFlight > 0 ? new CallPermits(maxCallsInFlight) : null;
  }

  /**
   * Calls a method that returns its result: blocks until it arrives or the deadline passes.
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
      throw expiredBeforeSending(method, null, false, timeoutNanos);
    }
    if (permits == null) {
      return retryBlocking(method, args, attachments, deadline, timeoutNanos);
    }
    awaitPermit(method, deadline, timeoutNanos);
    try {
      return retryBlocking(method, args, attachments, deadline, timeoutNanos);
    } finally {
      permits.release();
    }
  }

  /** Waits, blocking this thread, for a permit of the limit of calls in flight. */
  private void awaitPermit(BoundMethod method, long deadline, long timeoutNanos) {
    CompletableFuture<Void> permit = permits.acquire();
    if (permit.isDone()) {
      return;
    }
    try {
      permit.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | InterruptedException | ExecutionException e) {
      if (!permit.cancel(false)) {
        // Handed a permit just as this thread gave up: give it back.
        permits.release();
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED
            .withDescription("interrupted while waiting to call " + method.descriptor.displayName())
            .asException(e);
      }
      throw tooManyInFlight(method, timeoutNanos);
    }
  }

  private RpcException tooManyInFlight(BoundMethod method, long timeoutNanos) {
    return Status.RESOURCE_EXHAUSTED
        .withDescription(
            "too many calls in flight: this client allows "
                + permits.max()
                + " at once (RpcClient.Builder.maxCallsInFlight), and none ended within the "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                + " ms timeout of "
                + method.descriptor.displayName()
                + "; it was not sent")
        .asException();
  }

  private Object retryBlocking(
      BoundMethod method,
      Object[] args,
      Attachments attachments,
      long deadline,
      long timeoutNanos) {
    List<Provider> tried = null;
    RpcException lastFailure = null;
    for (int attempt = 1; ; attempt++) {
      Provider provider;
      try {
        provider = method.providers.pick(method, args, tried, deadline);
      } catch (RpcException e) {
        // No other provider to retry on: the failure that made us look for one says more.
        throw lastFailure != null ? lastFailure : e;
      }
      try {
        Object result =
            attemptBlocking(method, args, attachments, provider, deadline, timeoutNanos);
        succeeded(provider);
        return result;
      } catch (RpcException e) {
        if (!mayRetry(method, e, provider, attempt, deadline)) {
          throw e;
        }
        tried = with(tried, provider);
        lastFailure = e;
      }
    }
  }

  private Object attemptBlocking(
      BoundMethod method,
      Object[] args,
      Attachments attachments,
      Provider provider,
      long callDeadline,
      long timeoutNanos) {
    long deadline = attemptDeadline(method, callDeadline);
    long requestId = requestIds.incrementAndGet();
    ByteBuf frame = encode(method, args, attachments, requestId);
    ClientConnection connection;
    try {
      connection = awaitConnection(method, provider, deadline);
      awaitRoom(method, connection, deadline);
      if (!setTimeout(frame, deadline)) {
        boolean attempt = deadline != callDeadline;
        throw expiredBeforeSending(
            method, provider, attempt, attempt ? attemptTimeoutNanos : timeoutNanos);
      }
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
    if (method.descriptor.isOneWay()) {
      connection.sendOneWay(frame);
      return null;
    }
    PendingCall call = new PendingCall(method.descriptor, method.codec, true);
    connection.send(requestId, frame, call);
    Object answer;
    try {
      answer = call.future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.withdraw();
      boolean attempt = deadline != callDeadline;
      throw deadlineExceeded(
          method, provider, attempt, attempt ? attemptTimeoutNanos : timeoutNanos);
    } catch (ExecutionException e) {
      throw inCallerThread(e.getCause());
    } catch (InterruptedException e) {
      call.withdraw();
      Thread.currentThread().interrupt();
      throw Status.CANCELLED
          .withDescription(
              "interrupted while waiting for " + method.descriptor.displayName() + " to answer")
          .asException(e);
    }
    return decodeResult(method, (PendingCall.ResultBytes) answer);
  }

  private static Object decodeResult(BoundMethod method, PendingCall.ResultBytes result) {
    try {
      return method.codec.readResult(new ByteArrayInputStream(result.bytes()));
    } catch (Throwable t) {
      throw CodecFailure.of("could not decode the result of " + method.descriptor.displayName(), t);
    }
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
    if (permits == null) {
      Timeout timeout =
          timer.newTimeout(
              t ->
                  result.completeExceptionally(deadlineExceeded(method, null, false, timeoutNanos)),
              timeoutNanos,
              TimeUnit.NANOSECONDS);
      result.whenComplete((value, failure) -> timeout.cancel());
      attemptAsync(method, args, attachments, deadline, timeoutNanos, 1, null, null, result, true);
      return result;
    }
    CompletableFuture<Void> permit = permits.acquire();
    Timeout timeout =
        timer.newTimeout(
            t ->
                result.completeExceptionally(
                    permit.isDone()
                        ? deadlineExceeded(method, null, false, timeoutNanos)
                        : tooManyInFlight(method, timeoutNanos)),
            timeoutNanos,
            TimeUnit.NANOSECONDS);
    result.whenComplete(
        (value, failure) -> {
          timeout.cancel();
          // Cancelling fails only if the permit was handed over: then it is given back.
          if (!permit.cancel(false)) {
            permits.release();
          }
        });
    if (permit.isDone()) {
      attemptAsync(method, args, attachments, deadline, timeoutNanos, 1, null, null, result, true);
    } else {
      // This runs where the permit is given back (often an event loop): it must not block there.
      permit.thenRun(
          () ->
              attemptAsync(
                  method, args, attachments, deadline, timeoutNanos, 1, null, null, result, false));
    }
    return result;
  }

  private void attemptAsync(
      BoundMethod method,
      Object[] args,
      Attachments attachments,
      long callDeadline,
      long timeoutNanos,
      int attempt,
      List<Provider> tried,
      RpcException lastFailure,
      CompletableFuture<Object> result,
      boolean onCallersThread) {
    if (result.isDone()) {
      return;
    }
    if (callDeadline - System.nanoTime() <= 0) {
      result.completeExceptionally(
          lastFailure != null
              ? lastFailure
              : expiredBeforeSending(method, null, false, timeoutNanos));
      return;
    }
    long deadline = attemptDeadline(method, callDeadline);
    long requestId = requestIds.incrementAndGet();
    Provider provider;
    ByteBuf frame;
    CompletableFuture<ClientConnection> connecting;
    try {
      provider = method.providers.pick(method, args, tried, callDeadline);
    } catch (RpcException e) {
      result.completeExceptionally(lastFailure != null ? lastFailure : e);
      return;
    }
    try {
      frame = encode(method, args, attachments, requestId);
      connecting = pool.connection(provider);
    } catch (RpcException e) {
      result.completeExceptionally(e);
      return;
    }
    if (onCallersThread
        && connecting.isDone()
        && !connecting.isCompletedExceptionally()
        && !pool.isEventLoopThread()) {
      // The caller's own thread may wait a little for room, as a blocking call would: that slows
      // down a caller who starts calls faster than the connection sends them, which is the point.
      try {
        awaitRoom(method, connecting.join(), deadline);
      } catch (RpcException e) {
        frame.release();
        result.completeExceptionally(e);
        return;
      }
    }
    PendingCall call = new PendingCall(method.descriptor, method.codec, false);
    Timeout attemptTimeout =
        deadline == callDeadline
            ? null
            : timer.newTimeout(
                t ->
                    call.future.completeExceptionally(
                        deadlineExceeded(method, provider, true, attemptTimeoutNanos)),
                Math.max(0, deadline - System.nanoTime()),
                TimeUnit.NANOSECONDS);
    // The caller's deadline, or its cancelling the future, ends the attempt too.
    result.whenComplete((value, failure) -> call.future.cancel(false));
    call.future.whenComplete(
        (value, failure) -> {
          if (attemptTimeout != null) {
            attemptTimeout.cancel();
          }
          // Answered, failed or abandoned: in every case the call is no longer waited for.
          call.withdraw();
          if (failure == null) {
            succeeded(provider);
            result.complete(value);
            return;
          }
          RpcException e = asRpcException(failure);
          if (e == null) {
            return;
          }
          if (mayRetry(method, e, provider, attempt, callDeadline)) {
            attemptAsync(
                method,
                args,
                attachments,
                callDeadline,
                timeoutNanos,
                attempt + 1,
                with(tried, provider),
                e,
                result,
                false);
          } else {
            result.completeExceptionally(e);
          }
        });
    connecting.whenComplete(
        (connection, failure) -> {
          if (failure != null || call.future.isDone()) {
            frame.release();
            if (failure != null) {
              call.future.completeExceptionally(failure);
            }
            return;
          }
          boolean attemptOnly = deadline != callDeadline;
          long waitUntil = System.nanoTime() + writeBufferWaitNanos;
          sendWhenRoom(
              method,
              connection,
              requestId,
              frame,
              call,
              deadline,
              attemptOnly,
              attemptOnly ? attemptTimeoutNanos : timeoutNanos,
              deadline - waitUntil < 0 ? deadline : waitUntil);
        });
  }

  /**
   * Sends the request of an async attempt once the connection has room for it, waiting without
   * blocking any thread, and fails the attempt with RESOURCE_EXHAUSTED if it has none by {@code
   * waitUntil}.
   */
  private void sendWhenRoom(
      BoundMethod method,
      ClientConnection connection,
      long requestId,
      ByteBuf frame,
      PendingCall call,
      long deadline,
      boolean attemptDeadline,
      long timeoutNanos,
      long waitUntil) {
    if (call.future.isDone()) {
      frame.release();
      return;
    }
    // A closed connection takes the frame too, and fails the call as not sent.
    if (connection.hasRoom() || !connection.isUsable()) {
      if (!setTimeout(frame, deadline)) {
        frame.release();
        call.future.completeExceptionally(
            expiredBeforeSending(method, connection.provider(), attemptDeadline, timeoutNanos));
        return;
      }
      connection.send(requestId, frame, call);
      return;
    }
    long left = waitUntil - System.nanoTime();
    if (left <= 0) {
      frame.release();
      call.future.completeExceptionally(outboundFull(method, connection));
      return;
    }
    AtomicBoolean resumed = new AtomicBoolean();
    Runnable resume =
        () -> {
          if (resumed.compareAndSet(false, true)) {
            sendWhenRoom(
                method,
                connection,
                requestId,
                frame,
                call,
                deadline,
                attemptDeadline,
                timeoutNanos,
                waitUntil);
          }
        };
    Timeout giveUp = timer.newTimeout(t -> resume.run(), left, TimeUnit.NANOSECONDS);
    connection
        .whenRoom()
        .thenRun(
            () -> {
              giveUp.cancel();
              resume.run();
            });
  }

  /**
   * Waits, blocking this thread, until the connection has room for a request, for at most the write
   * buffer wait and never past the deadline.
   *
   * @throws RpcException RESOURCE_EXHAUSTED if it still has none then
   */
  private void awaitRoom(BoundMethod method, ClientConnection connection, long deadline) {
    if (connection.hasRoom()) {
      return;
    }
    long waitUntil = System.nanoTime() + writeBufferWaitNanos;
    if (deadline - waitUntil < 0) {
      waitUntil = deadline;
    }
    while (!connection.hasRoom() && connection.isUsable()) {
      long left = waitUntil - System.nanoTime();
      if (left <= 0) {
        throw outboundFull(method, connection);
      }
      try {
        connection.whenRoom().get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw outboundFull(method, connection);
      } catch (ExecutionException e) {
        throw inCallerThread(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED
            .withDescription("interrupted while waiting to send " + method.descriptor.displayName())
            .asException(e);
      }
    }
  }

  private RpcException outboundFull(BoundMethod method, ClientConnection connection) {
    return Status.RESOURCE_EXHAUSTED
        .withDescription(
            "outbound buffer full: the connection to "
                + connection.provider().address()
                + " took no more requests within "
                + TimeUnit.NANOSECONDS.toMillis(writeBufferWaitNanos)
                + " ms (the server or the network reads too slowly); "
                + method.descriptor.displayName()
                + " was not sent")
        .asException();
  }

  private void succeeded(Provider provider) {
    health.of(provider).succeeded();
    retryBudget.succeeded();
  }

  /** Records a failed attempt and decides whether the call goes on to another provider. */
  private boolean mayRetry(
      BoundMethod method, RpcException failure, Provider provider, int attempt, long deadline) {
    Status.Code code = failure.code();
    if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
      health.of(provider).failed(failure, System.nanoTime());
    }
    if (attempt >= maxAttempts || deadline - System.nanoTime() <= 0) {
      return false;
    }
    boolean retry;
    if (failure instanceof UnprocessedRequestException) {
      // Nothing ran, so any method may go elsewhere. A provider out of reach or going away: like
      // gRPC's transparent retries, this does not draw on the retry budget. A provider too busy to
      // take it: the budget decides, so that an overloaded cluster is not flooded with retries.
      retry = code != Status.Code.RESOURCE_EXHAUSTED || retryBudget.failedMayRetry();
    } else if (method.descriptor.isIdempotent()
        && (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED)) {
      retry = retryBudget.failedMayRetry();
    } else {
      retry = false;
    }
    if (retry) {
      log.debug(
          "Retrying {} on another provider, attempt {} of {}, after {} from {}",
          method.descriptor,
          attempt + 1,
          maxAttempts,
          failure.getMessage(),
          provider);
    }
    return retry;
  }

  private long attemptDeadline(BoundMethod method, long callDeadline) {
    if (attemptTimeoutNanos <= 0 || !method.descriptor.isIdempotent()) {
      return callDeadline;
    }
    long attemptDeadline = System.nanoTime() + attemptTimeoutNanos;
    return attemptDeadline - callDeadline < 0 ? attemptDeadline : callDeadline;
  }

  private static List<Provider> with(List<Provider> tried, Provider provider) {
    List<Provider> list = tried == null ? new ArrayList<>(2) : tried;
    list.add(provider);
    return list;
  }

  private ByteBuf encode(
      BoundMethod method, Object[] args, Attachments attachments, long requestId) {
    try {
      return FrameWriter.request(
          alloc,
          requestId,
          method.descriptor.isOneWay() ? FrameHeader.FLAG_ONE_WAY : 0,
          serializerId,
          0,
          method.descriptor.serviceKeyBytes(),
          method.descriptor.methodKeyBytes(),
          attachments,
          method.codec,
          args,
          maxBodySize);
    } catch (Throwable t) {
      if (FrameTooLargeException.findIn(t) != null) {
        throw Status.RESOURCE_EXHAUSTED
            .withDescription(
                "the request of "
                    + method.descriptor.displayName()
                    + " is larger than the maximum frame body of "
                    + maxBodySize
                    + " bytes; nothing was sent")
            .asException(t);
      }
      throw CodecFailure.of(
          "could not encode the arguments of " + method.descriptor.displayName(), t);
    }
  }

  private ClientConnection awaitConnection(BoundMethod method, Provider provider, long deadline) {
    CompletableFuture<ClientConnection> connecting = pool.connection(provider);
    if (connecting.isDone() && !connecting.isCompletedExceptionally()) {
      return connecting.join();
    }
    try {
      return connecting.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription(
              method.descriptor.displayName()
                  + " ran out of time while connecting to "
                  + provider.address())
          .asException();
    } catch (ExecutionException e) {
      throw inCallerThread(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED
          .withDescription("interrupted while connecting to " + provider.address())
          .asException(e);
    }
  }

  /**
   * Writes the remaining budget into the header, rounded up so that it is never 0 (no limit).
   * Returns false, writing nothing, when no budget is left: such a request must not be sent, since
   * nobody would wait for its answer.
   */
  private static boolean setTimeout(ByteBuf frame, long deadline) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      return false;
    }
    long remainingMillis = TimeUnit.NANOSECONDS.toMillis(remaining + 999_999);
    frame.setInt(
        frame.readerIndex() + FrameHeader.TIMEOUT_OFFSET,
        (int) Math.max(1, Math.min(Integer.MAX_VALUE, remainingMillis)));
    return true;
  }

  /**
   * @param timeoutNanos the timeout that ran out: of the attempt, or of the call, which is shorter
   *     than the method's when it inherited the time left of the call being served
   */
  private static RpcException expiredBeforeSending(
      BoundMethod method, Provider provider, boolean attempt, long timeoutNanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, timeoutNanos));
    return Status.DEADLINE_EXCEEDED
        .withDescription(
            method.descriptor.displayName()
                + " ran out of time before its request was sent"
                + (provider == null ? "" : " to " + provider.address())
                + " (timeout "
                + millis
                + " ms"
                + (attempt ? " for one attempt" : "")
                + (!attempt && timeoutNanos < method.timeoutNanos
                    ? ", the time left of the call being served"
                    : "")
                + "); nothing was sent")
        .asException();
  }

  /**
   * @param timeoutNanos the timeout that ran out: of the attempt, or of the call, which is shorter
   *     than the method's when it inherited the time left of the call being served
   */
  static RpcException deadlineExceeded(
      BoundMethod method, Provider provider, boolean attempt, long timeoutNanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
    return Status.DEADLINE_EXCEEDED
        .withDescription(
            method.descriptor.displayName()
                + " did not answer within "
                + millis
                + " ms"
                + (attempt ? " (the timeout of one attempt)" : "")
                + (!attempt && timeoutNanos < method.timeoutNanos
                    ? " (the time left of the call being served)"
                    : "")
                + (provider == null ? "" : " (provider " + provider.address() + ")"))
        .asException();
  }

  /** The failure of an attempt as an RpcException; null when the attempt was abandoned. */
  private static RpcException asRpcException(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof java.util.concurrent.CancellationException) {
      return null;
    }
    return cause instanceof RpcException e
        ? e
        : Status.INTERNAL.withDescription(String.valueOf(cause.getMessage())).asException(cause);
  }

  /**
   * The failure to throw from a blocking call. A failure completed on an event loop has that
   * thread's stack; a copy made here shows the caller's own, with the original as its cause.
   */
  static RpcException inCallerThread(Throwable failure) {
    if (failure instanceof UnprocessedRequestException e) {
      return new UnprocessedRequestException(e.status(), e);
    }
    if (failure instanceof RpcException e) {
      return new RpcException(e.status(), e.remoteType(), e);
    }
    return Status.INTERNAL
        .withDescription(String.valueOf(failure.getMessage()))
        .asException(failure);
  }
}
