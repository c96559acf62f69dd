package io.minirpc.server;

import io.minirpc.Deadline;
import io.minirpc.Status;
import io.minirpc.internal.dispatch.ServerCall;
import io.minirpc.internal.protocol.FrameTooLargeException;
import io.minirpc.internal.protocol.FrameWriter;
import io.minirpc.internal.service.CodecFailure;
import io.minirpc.internal.service.MethodDescriptor;
import io.minirpc.internal.service.StreamingCodec;
import io.minirpc.internal.stream.InboundStream;
import io.minirpc.internal.stream.OutboundStream;
import io.minirpc.internal.transport.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of one stream call on a connection: the request stream's items, read by the
 * connection and handed to the service through an {@link InboundStream}, and the items of the
 * publisher the service returned, sent within the caller's credit through an {@link
 * OutboundStream}. The call's {@link Responder} ends it with the response frame, once.
 *
 * <p>The connection's frames for this call (items, end of the request stream, credit) come here on
 * the event loop; the service's publisher calls from its own threads.
 */
final class ServerStream {

  private static final Logger log = LoggerFactory.getLogger(ServerStream.class);

  private final MethodDescriptor method;
  private final StreamingCodec codec;
  private final ByteBufAllocator alloc;
  private final WriteQueue writes;
  private final long requestId;
  private final int serializerId;
  private final int maxBodySize;
  private final int firstCredit;
  private final Deadline deadline;
  private final Responder responder;
  // Made once: a method reference made per item would be an object per item.
  private final FrameWriter.ItemEncoder itemEncoder;
  // Null for a method without a request stream.
  private final InboundStream requestItems;
  private volatile OutboundStream responseItems;
  // The connection's stream calls, which this one leaves as it ends.
  private final Map<Long, ServerStream> streams;
  private volatile boolean ended;
  // Completes as the call ends: with null after its last item, else with how it failed.
  private final CompletableFuture<Object> end = new CompletableFuture<>();
  private volatile boolean responding;

  ServerStream(
      MethodDescriptor method,
      StreamingCodec codec,
      ByteBufAllocator alloc,
      WriteQueue writes,
      long requestId,
      int serializerId,
      int maxBodySize,
      int firstCredit,
      Deadline deadline,
      Responder responder,
      Executor executor,
      Map<Long, ServerStream> streams) {
    this.streams = streams;
    this.method = method;
    this.codec = codec;
    this.alloc = alloc;
    this.writes = writes;
    this.requestId = requestId;
    this.serializerId = serializerId;
    this.maxBodySize = maxBodySize;
    this.firstCredit = firstCredit;
    this.deadline = deadline;
    this.responder = responder;
    this.itemEncoder = codec::writeResponseItem;
    this.requestItems =
        method.hasRequestStream()
            ? new InboundStream(executor, new RequestCredit(), method.displayName())
            : null;
  }

  /** The publisher the service reads the request stream from; {@code null} if it has none. */
  Flow.Publisher<Object> requestStream() {
    return requestItems;
  }

  /**
   * Tells the caller the call was accepted for streaming: a credit frame, of no items until the
   * service asks, so that the caller knows it may end its request stream (an older server would
   * have refused the call instead).
   */
  void accepted() {
    if (requestItems != null) {
      writes.enqueue(FrameWriter.streamCredit(alloc, requestId, 0));
    }
  }

  // --- frames from the caller, on the event loop ---

  /**
   * One item of the request stream: queued, and the stream returned for the connection to {@link
   * InboundStream#signal() signal} once its read is done; {@code null} when nothing was queued.
   */
  InboundStream item(ByteBuf body) {
    if (requestItems == null) {
      failCall(
          Status.INVALID_ARGUMENT.withDescription(
              method.displayName() + " takes no request stream, yet an item arrived for it"));
      return null;
    }
    if (requestItems.isDone()) {
      // Crossed the call's end or the service's cancel on the wire: nobody takes it.
      return null;
    }
    int bytes = body.readableBytes();
    Object item;
    try {
      item = codec.readRequestItem(new ByteBufInputStream(body));
    } catch (Throwable t) {
      failCall(
          CodecFailure.of(
                  "could not decode an item of the request stream of " + method.displayName(), t)
              .status());
      return null;
    }
    if (!requestItems.offer(item, bytes)) {
      failCall(
          Status.INVALID_ARGUMENT.withDescription(
              "the caller sent more items of the request stream of "
                  + method.displayName()
                  + " than its credit allowed"));
      return null;
    }
    return requestItems;
  }

  /** The caller's request stream is complete. */
  void requestEnded() {
    if (requestItems != null) {
      requestItems.complete();
    }
  }

  /** The caller lets the service send {@code n} more items. */
  void credit(int n) {
    OutboundStream out = responseItems;
    if (out != null) {
      out.credit(n);
    }
  }

  /** The caller cancelled the call, or its connection closed: everything stops, unanswered. */
  void cancel() {
    stopStreams(Status.CANCELLED.withDescription("the caller cancelled " + method.displayName()));
    if (responseItems != null) {
      responder.cancelled();
    }
  }

  // --- the service's side ---

  /**
   * Streams the publisher's items, as {@link #respondWith} does, and returns the future of the
   * call's end: what the server's interceptors get as the outcome of a stream call, so that they
   * see the whole stream, not just the service returning its publisher.
   */
  CompletableFuture<Object> respondUntilEnd(Object result) {
    respondWith(result);
    return end;
  }

  /**
   * The service returned the publisher of its response stream: its items go out now. Once only: the
   * outcome of an interceptor chain that has streamed already comes here too, and is ignored.
   */
  void respondWith(Object result) {
    if (responding) {
      return;
    }
    responding = true;
    if (!(result instanceof Flow.Publisher<?> publisher)) {
      responder.fail(
          Status.APPLICATION_ERROR.withDescription(
              method.displayName() + " returned null instead of a Flow.Publisher"),
          NullPointerException.class.getName());
      return;
    }
    OutboundStream out = new OutboundStream(new ResponseSink(), method.displayName());
    responseItems = out;
    out.credit(firstCredit);
    if (ended) {
      // Cancelled while the service was still running.
      out.cancel();
      responder.cancelled();
      return;
    }
    @SuppressWarnings("unchecked")
    Flow.Publisher<Object> items = (Flow.Publisher<Object>) publisher;
    try {
      items.subscribe(out);
    } catch (RuntimeException e) {
      out.onError(e);
    }
  }

  /** The call has ended, answered or not: the streams stop and late frames are ignored. */
  void ended(Status outcome) {
    streams.remove(requestId, this);
    stopStreams(null);
    if (outcome == null || outcome.code() == Status.Code.OK) {
      end.complete(null);
    } else {
      end.completeExceptionally(outcome.asException());
    }
  }

  private void stopStreams(Status why) {
    ended = true;
    OutboundStream out = responseItems;
    if (out != null) {
      out.cancel();
    }
    if (requestItems != null && !requestItems.isDone()) {
      if (why == null) {
        requestItems.cancel();
      } else {
        requestItems.fail(why.asException());
      }
    }
  }

  private void failCall(Status status) {
    stopStreams(status);
    responder.fail(status, null);
  }

  /** Credit for the request stream, as the service asks for items. */
  private final class RequestCredit implements InboundStream.Peer {
    @Override
    public void grant(int credit) {
      if (!ended) {
        writes.enqueue(FrameWriter.streamCredit(alloc, requestId, credit));
      }
    }

    @Override
    public void cancel() {
      // The service wants no more of the request stream: the caller gets no more credit, and
      // what it sent within its credit is dropped. The call goes on until the service answers.
    }

    @Override
    public void undeliverable(RejectedExecutionException e) {
      failCall(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "the server is busy: its business executor took no more of the request stream of "
                  + method.displayName()));
    }
  }

  /** Sends the service's items and ends the call as its publisher ends. */
  private final class ResponseSink implements OutboundStream.Sink {
    @Override
    public void item(Object item) throws Exception {
      if (deadline != null && deadline.isExpired()) {
        throw new DeadlinePassed();
      }
      ByteBuf frame;
      try {
        frame =
            FrameWriter.streamItem(alloc, requestId, serializerId, itemEncoder, item, maxBodySize);
      } catch (Throwable t) {
        if (FrameTooLargeException.findIn(t) != null) {
          throw Status.RESOURCE_EXHAUSTED
              .withDescription(
                  "an item of the stream of "
                      + method.displayName()
                      + " is larger than the maximum frame body of "
                      + maxBodySize
                      + " bytes")
              .asException(t);
        }
        throw CodecFailure.of(
            "could not encode an item of the stream of " + method.displayName(), t);
      }
      writes.enqueue(frame);
    }

    @Override
    public void completed() {
      responder.endStream();
    }

    @Override
    public void failed(Throwable cause) {
      stopStreams(null);
      if (cause instanceof DeadlinePassed) {
        log.debug("Stopped the stream of {}: its deadline passed", method.displayName());
        responder.deadlinePassed();
        return;
      }
      // As for a unary call's failure.
      ServerCall.answerServiceFailure(responder, cause, method);
    }
  }

  /** The caller's deadline passed while the stream was going: it no longer listens. */
  private static final class DeadlinePassed extends Exception {
    DeadlinePassed() {
      super(null, null, false, false);
    }
  }
}
