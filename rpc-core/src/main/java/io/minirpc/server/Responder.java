package io.minirpc.server;

import io.minirpc.MethodCodec;
import io.minirpc.Status;
import io.minirpc.internal.dispatch.CallResponder;
import io.minirpc.internal.dispatch.InFlightCalls;
import io.minirpc.internal.dispatch.ServerCall;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameTooLargeException;
import io.minirpc.internal.protocol.FrameWriter;
import io.minirpc.internal.service.CodecFailure;
import io.minirpc.internal.service.MethodDescriptor;
import io.minirpc.internal.transport.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Answers one request, once: encodes the result or the failure into a response frame and queues it
 * on the connection; says nothing at all for a one-way request. A result that cannot be encoded, or
 * is too large, becomes an error response rather than silence. Whatever the outcome, the request
 * stops counting as in flight, and can no longer be cancelled.
 */
final class Responder implements CallResponder {

  // How a stream call that was not answered ended, as its interceptors see it.
  private static final Status DEADLINE_PASSED =
      Status.DEADLINE_EXCEEDED.withDescription("the caller's deadline passed during the stream");
  private static final Status CANCELLED =
      Status.CANCELLED.withDescription("the caller cancelled the stream");
  private static final Status ABANDONED =
      Status.UNAVAILABLE.withDescription("the server closed before the stream ended");

  private static final AtomicIntegerFieldUpdater<Responder> ANSWERED =
      AtomicIntegerFieldUpdater.newUpdater(Responder.class, "answered");

  private final ByteBufAllocator alloc;
  private final WriteQueue writes;
  private final InFlightCalls inFlight;
  private final CancellableCalls cancellable;
  private final long requestId;
  private final int serializerId;
  private final boolean oneWay;
  private final int maxBodySize;
  // Set before the call is handed to the executor, which publishes it to the thread answering.
  private ServerCall call;
  // Stream calls only: the stream, what runs when it ends, and whether it has been answered (a
  // stream call may be ended by the service, the caller and the connection, all at once).
  private ServerStream stream;
  private Runnable onFinish;
  private volatile int answered;

  Responder(
      ByteBufAllocator alloc,
      WriteQueue writes,
      InFlightCalls inFlight,
      CancellableCalls cancellable,
      long requestId,
      int serializerId,
      boolean oneWay,
      int maxBodySize) {
    this.alloc = alloc;
    this.writes = writes;
    this.inFlight = inFlight;
    this.cancellable = cancellable;
    this.requestId = requestId;
    this.serializerId = serializerId;
    this.oneWay = oneWay;
    this.maxBodySize = maxBodySize;
    inFlight.started();
  }

  /**
   * Lets a cancel frame of this request's id stop the call, until it is answered. A one-way request
   * has no answer to withhold; clients send no cancel for one.
   */
  @Override
  public void accepted(ServerCall call) {
    if (!oneWay) {
      this.call = call;
      cancellable.add(requestId, call);
    }
  }

  /** Makes this the responder of a stream call, before the call is dispatched. */
  void streaming(ServerStream stream) {
    this.stream = stream;
  }

  @Override
  public CompletableFuture<Object> streamResponse(Object publisher) {
    return stream.respondUntilEnd(publisher);
  }

  @Override
  public void whenFinished(Runnable action) {
    this.onFinish = action;
  }

  @Override
  public void succeed(MethodDescriptor method, MethodCodec codec, Object result) {
    if (stream != null && method.hasResponseStream()) {
      // Not the answer yet: the service's publisher streams first, and its end answers.
      stream.respondWith(result);
      return;
    }
    if (!claim()) {
      return;
    }
    if (oneWay) {
      finished(null);
      return;
    }
    ByteBuf frame;
    try {
      frame = FrameWriter.response(alloc, requestId, serializerId, codec, result, maxBodySize);
    } catch (Throwable t) {
      if (FrameTooLargeException.findIn(t) != null) {
        fail(
            Status.RESOURCE_EXHAUSTED.withDescription(
                "the result of "
                    + method.displayName()
                    + " is larger than the maximum frame body of "
                    + maxBodySize
                    + " bytes"));
      } else {
        fail(CodecFailure.of("could not encode the result of " + method.displayName(), t));
      }
      return;
    }
    send(frame, null);
  }

  /** Ends a stream call whose response stream is complete: an OK response without a body. */
  void endStream() {
    if (claim()) {
      send(FrameWriter.endOfStream(alloc, requestId, serializerId), null);
    }
  }

  @Override
  public void fail(Status status, String remoteType) {
    if (!claim()) {
      return;
    }
    if (oneWay) {
      finished(status);
      return;
    }
    send(FrameWriter.error(alloc, requestId, serializerId, status, remoteType), status);
  }

  /**
   * Refuses a request that was not run, flagged so, so that the caller may send it to another
   * provider.
   */
  @Override
  public void refuseUnprocessed(Status status) {
    if (!claim()) {
      return;
    }
    if (oneWay) {
      finished(status);
      return;
    }
    send(
        FrameWriter.error(
            alloc, requestId, FrameHeader.FLAG_UNPROCESSED, serializerId, status, null),
        status);
  }

  /** Sends nothing: the caller has given up on the call already. */
  @Override
  public void deadlinePassed() {
    if (claim()) {
      finished(DEADLINE_PASSED);
    }
  }

  /** Sends nothing: the caller said it no longer waits for the answer. */
  @Override
  public void cancelled() {
    if (claim()) {
      finished(CANCELLED);
    }
  }

  /** Sends nothing: the server is closing, and the client fails what is pending when it closes. */
  @Override
  public void abandoned() {
    if (claim()) {
      finished(ABANDONED);
    }
  }

  private void send(ByteBuf frame, Status outcome) {
    try {
      writes.enqueue(frame);
    } finally {
      finished(outcome);
    }
  }

  /**
   * Whether this is the call's one answer. A unary call is answered once by its {@link ServerCall}
   * (no cost here); a stream call by whichever of its ends comes first.
   */
  private boolean claim() {
    return stream == null || ANSWERED.compareAndSet(this, 0, 1);
  }

  /**
   * @param outcome how a stream call ended, for its interceptors; null when it succeeded
   */
  private void finished(Status outcome) {
    if (call != null) {
      cancellable.remove(requestId, call);
    }
    if (stream != null) {
      stream.ended(outcome);
      if (onFinish != null) {
        onFinish.run();
      }
    }
    inFlight.finished();
  }
}
