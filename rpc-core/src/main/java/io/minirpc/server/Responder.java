package io.minirpc.server;

import io.minirpc.MethodCodec;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameTooLargeException;
import io.minirpc.internal.protocol.FrameWriter;
import io.minirpc.internal.service.CodecFailure;
import io.minirpc.internal.service.MethodDescriptor;
import io.minirpc.internal.transport.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Answers one request, once: encodes the result or the failure into a response frame and queues it
 * on the connection; says nothing at all for a one-way request. A result that cannot be encoded, or
 * is too large, becomes an error response rather than silence. Whatever the outcome, the request
 * stops counting as in flight.
 */
final class Responder {

  private final ByteBufAllocator alloc;
  private final WriteQueue writes;
  private final InFlightCalls inFlight;
  private final long requestId;
  private final int serializerId;
  private final boolean oneWay;
  private final int maxBodySize;

  Responder(
      ByteBufAllocator alloc,
      WriteQueue writes,
      InFlightCalls inFlight,
      long requestId,
      int serializerId,
      boolean oneWay,
      int maxBodySize) {
    this.alloc = alloc;
    this.writes = writes;
    this.inFlight = inFlight;
    this.requestId = requestId;
    this.serializerId = serializerId;
    this.oneWay = oneWay;
    this.maxBodySize = maxBodySize;
    inFlight.started();
  }

  void succeed(MethodDescriptor method, MethodCodec codec, Object result) {
    if (oneWay) {
      inFlight.finished();
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

  void fail(RpcException e) {
    fail(e.status(), e.remoteType());
  }

  void fail(Status status) {
    fail(status, null);
  }

  void fail(Status status, String remoteType) {
    if (oneWay) {
      inFlight.finished();
      return;
    }
    send(FrameWriter.error(alloc, requestId, serializerId, status, remoteType));
  }

  /** Refuses a request that was not run, so that the caller may send it to another provider. */
  void refuseUnprocessed(Status status) {
    if (oneWay) {
      inFlight.finished();
      return;
    }
    send(
        FrameWriter.error(
            alloc, requestId, FrameHeader.FLAG_UNPROCESSED, serializerId, status, null));
  }

  /** Sends nothing: the caller's deadline has passed, or the server is closing. */
  void drop() {
    inFlight.finished();
  }

  private void send(ByteBuf frame) {
    try {
      writes.enqueue(frame);
    } finally {
      inFlight.finished();
    }
  }
}
