package io.minirpc.client;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes calls: encodes the request, finds a connection to a provider, sends, and waits (or not) for
 * the answer within the call's deadline. Shared by all stubs of one client.
 */
final class Caller {

  private final ConnectionPool pool;
  private final Timer timer;
  private final ByteBufAllocator alloc;
  private final int serializerId;
  private final int maxBodySize;
  private final AtomicLong requestIds = new AtomicLong();

  Caller(
      ConnectionPool pool, Timer timer, ByteBufAllocator alloc, int serializerId, int maxBodySize) {
    this.pool = pool;
    this.timer = timer;
    this.alloc = alloc;
    this.serializerId = serializerId;
    this.maxBodySize = maxBodySize;
  }

  /** Calls a method that returns its result: blocks until it arrives or the deadline passes. */
  Object callBlocking(BoundMethod method, Object[] args) {
    long deadline = System.nanoTime() + method.timeoutNanos;
    long requestId = requestIds.incrementAndGet();
    ByteBuf frame = encode(method, args, requestId);
    ClientConnection connection;
    try {
      connection = awaitConnection(method, deadline);
      setTimeout(frame, deadline);
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
    if (method.descriptor.isOneWay()) {
      connection.sendOneWay(frame);
      return null;
    }
    PendingCall call = new PendingCall(method.descriptor, method.codec);
    connection.send(requestId, frame, call);
    try {
      return call.future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.withdraw();
      throw deadlineExceeded(method, connection.provider());
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
  }

  /** Calls a method that returns a {@code CompletableFuture}: returns at once. */
  CompletableFuture<Object> callAsync(BoundMethod method, Object[] args) {
    long deadline = System.nanoTime() + method.timeoutNanos;
    long requestId = requestIds.incrementAndGet();
    ByteBuf frame;
    try {
      frame = encode(method, args, requestId);
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(e);
    }
    PendingCall call = new PendingCall(method.descriptor, method.codec);
    Provider provider;
    CompletableFuture<ClientConnection> connecting;
    try {
      provider = method.providers.next();
      connecting = pool.connection(provider);
    } catch (RpcException e) {
      frame.release();
      return CompletableFuture.failedFuture(e);
    }
    Timeout timeout =
        timer.newTimeout(
            t -> call.future.completeExceptionally(deadlineExceeded(method, provider)),
            Math.max(0, deadline - System.nanoTime()),
            TimeUnit.NANOSECONDS);
    call.future.whenComplete(
        (result, failure) -> {
          timeout.cancel();
          // Deadline, cancellation or answer: in every case the call is no longer waited for.
          call.withdraw();
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
          setTimeout(frame, deadline);
          connection.send(requestId, frame, call);
        });
    return call.future;
  }

  private ByteBuf encode(BoundMethod method, Object[] args, long requestId) {
    try {
      return FrameWriter.request(
          alloc,
          requestId,
          method.descriptor.isOneWay() ? FrameHeader.FLAG_ONE_WAY : 0,
          serializerId,
          0,
          method.descriptor.serviceKeyBytes(),
          method.descriptor.methodKeyBytes(),
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

  private ClientConnection awaitConnection(BoundMethod method, long deadline) {
    Provider provider = method.providers.next();
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

  /** Writes the remaining budget into the header, rounded up so that it is never 0 (no limit). */
  private static void setTimeout(ByteBuf frame, long deadline) {
    long remainingMillis =
        TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime()) + 999_999);
    frame.setInt(
        frame.readerIndex() + FrameHeader.TIMEOUT_OFFSET,
        (int) Math.max(1, Math.min(Integer.MAX_VALUE, remainingMillis)));
  }

  private static RpcException deadlineExceeded(BoundMethod method, Provider provider) {
    return Status.DEADLINE_EXCEEDED
        .withDescription(
            method.descriptor.displayName()
                + " did not answer within "
                + TimeUnit.NANOSECONDS.toMillis(method.timeoutNanos)
                + " ms (provider "
                + provider.address()
                + ")")
        .asException();
  }

  /**
   * The failure to throw from a blocking call. A failure completed on an event loop has that
   * thread's stack; a copy made here shows the caller's own, with the original as its cause.
   */
  private static RpcException inCallerThread(Throwable failure) {
    if (failure instanceof RpcException e) {
      return new RpcException(e.status(), e.remoteType(), e);
    }
    return Status.INTERNAL
        .withDescription(String.valueOf(failure.getMessage()))
        .asException(failure);
  }
}
