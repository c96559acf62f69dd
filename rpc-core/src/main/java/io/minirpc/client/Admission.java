package io.minirpc.client;

import io.minirpc.RpcException;
import io.minirpc.Status;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a call must be let through before its request goes out: a permit of the client's limit of
 * calls in flight (when it has one), and room on its connection, whose outbound buffer must not
 * grow past the high water mark. A call waits for room up to the write buffer wait, never past its
 * deadline, then fails with RESOURCE_EXHAUSTED, not sent.
 */
final class Admission {

  // Null when the client sets no limit of calls in flight.
  private final CallPermits permits;
  private final Timer timer;
  private final long writeBufferWaitNanos;

  Admission(int maxCallsInFlight, Timer timer, long writeBufferWaitNanos) {
    this.permits = maxCallsInFlight > 0 ? new CallPermits(maxCallsInFlight) : null;
    this.timer = timer;
    this.writeBufferWaitNanos = writeBufferWaitNanos;
  }

  /** A permit of the limit of calls in flight, completed once held; null without a limit. */
  CompletableFuture<Void> permit() {
    return permits == null ? null : permits.acquire();
  }

  /** Gives back a permit, or stops waiting for it if it was not handed over yet. */
  void giveBack(CompletableFuture<Void> permit) {
    // Cancelling fails only if the permit was handed over: then it is given back.
    if (!permit.cancel(false)) {
      permits.release();
    }
  }

  /** The failure of a call that waited for a permit until its deadline. */
  RpcException tooManyInFlight(BoundMethod method, long timeoutNanos) {
    return CallFailures.tooManyInFlight(method, permits.max(), timeoutNanos);
  }

  /** The time until which a request may wait for room, starting now. */
  long roomWaitUntil(long deadline) {
    long waitUntil = System.nanoTime() + writeBufferWaitNanos;
    return deadline - waitUntil < 0 ? deadline : waitUntil;
  }

  /**
   * Waits, blocking this thread, until the connection has room for a request, for at most the write
   * buffer wait and never past the deadline. A caller who starts calls faster than the connection
   * sends them is slowed down, which is the point.
   *
   * @throws RpcException RESOURCE_EXHAUSTED if it still has none then
   */
  void awaitRoom(BoundMethod method, ClientConnection connection, long deadline) {
    if (connection.hasRoom()) {
      return;
    }
    long waitUntil = roomWaitUntil(deadline);
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
        throw CallFailures.inCallerThread(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED
            .withDescription("interrupted while waiting to send " + method.descriptor.displayName())
            .asException(e);
      }
    }
  }

  /**
   * Runs {@code send} once the connection has room (or has closed, which then fails the send), or
   * {@code full} if it has none by {@code waitUntil}; waits without blocking any thread. Exactly
   * one of the two runs, once.
   */
  void whenRoom(ClientConnection connection, long waitUntil, Runnable send, Runnable full) {
    if (connection.hasRoom() || !connection.isUsable()) {
      send.run();
      return;
    }
    long left = waitUntil - System.nanoTime();
    if (left <= 0) {
      full.run();
      return;
    }
    AtomicBoolean resumed = new AtomicBoolean();
    Runnable resume =
        () -> {
          if (resumed.compareAndSet(false, true)) {
            whenRoom(connection, waitUntil, send, full);
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

  RpcException outboundFull(BoundMethod method, ClientConnection connection) {
    return CallFailures.outboundFull(method, connection, writeBufferWaitNanos);
  }
}
