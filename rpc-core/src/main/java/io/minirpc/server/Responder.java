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
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Answers one request, once: encodes the result or the failure into a response frame and queues it
 * on the connection; says nothing at all for a one-way request. A result that cannot be encoded, or
 * is too large, becomes an error response rather than silence. Whatever the outcome, the request
 * stops counting as in flight, and can no longer be cancelled.
 */
final class Responder implements CallResponder {

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
      finished();
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
    send(frame);
  }

  /** Ends a stream call whose response stream is complete: an OK response without a body. */
  void endStream() {
    if (claim()) {
      send(FrameWriter.endOfStream(alloc, requestId, serializerId));
    }
  }

  @Override
  public void fail(Status status, String remoteType) {
    if (!claim()) {
      return;
    }
    if (oneWay) {
      finished();
      return;
    }
    send(FrameWriter.error(alloc, requestId, serializerId, status, remoteType));
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
      finished();
      return;
    }
    send(
        FrameWriter.error(
            alloc, requestId, FrameHeader.FLAG_UNPROCESSED, serializerId, status, null));
  }

  /** Sends nothing: the caller has given up on the call already. */
  @Override
  public void deadlinePassed() {
    if (claim()) {
      finished();
    }
  }

  /** Sends nothing: the caller said it no longer waits for the answer. */
  @Override
  public void cancelled() {
    if (claim()) {
      finished();
    }
  }

  /** Sends nothing: the server is closing, and the client fails what is pending when it closes. */
  @Override
  public void abandoned() {
    if (claim()) {
      finished();
    }
  }

  private void send(ByteBuf frame) {
    try {
      writes.enqueue(frame);
    } finally {
      finished();
    }
  }

  /**
   * Whether this is the call's one answer. A unary call is answered once by its {@link ServerCall}
   * (no cost here); a stream call by whichever of its ends comes first.
   */
  private boolean claim() {
    return stream == null || ANSWERED.compareAndSet(this, 0, 1);
  }

  private void finished() {
    if (call != null) {
      cancellable.remove(requestId, call);
    }
    if (stream != null) {
      stream.ended();
      if (onFinish != null) {
        onFinish.run();
      }
    }
    inFlight.finished();
  }
}
