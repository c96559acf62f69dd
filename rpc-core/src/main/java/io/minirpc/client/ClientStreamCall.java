package io.minirpc.client;

import io.minirpc.Attachments;
import io.minirpc.Provider;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.internal.protocol.FrameTooLargeException;
import io.minirpc.internal.protocol.FrameWriter;
import io.minirpc.internal.service.CodecFailure;
import io.minirpc.internal.service.StreamingCodec;
import io.minirpc.internal.stream.InboundStream;
import io.minirpc.internal.stream.OutboundStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.util.Timeout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One stream call of a stub, from its request to the response that ends it: the items of the
 * response stream go to the caller's subscriber through an {@link InboundStream}, which turns the
 * subscriber's demand into credit for the server; the items of the request stream come from the
 * caller's publisher through an {@link OutboundStream}, as fast as the server's credit allows.
 *
 * <p>A call with a response stream opens when its subscriber first asks for items, and its request
 * carries that first credit; one without opens at once. Its deadline covers the whole stream: when
 * it passes, or the subscriber cancels, or the caller's request stream fails, the call ends and the
 * server is sent a cancel frame.
 *
 * <p>A call is retried on another provider only while nothing of it has reached a server (the
 * connect failed, the provider was going away): once the server has said anything, items may have
 * been taken and given, and a stream cannot be replayed.
 *
 * <p>A server older than stream calls refuses the request's stream flag with INVALID_ARGUMENT,
 * which this call reports as UNIMPLEMENTED. Nothing of the stream but the request is sent before
 * the server has answered with a frame of the stream (credit, an item), so an older server never
 * sees a frame it does not know.
 */
final class ClientStreamCall implements InboundStream.Peer, OutboundStream.Sink {

  private final ClientCalls calls;
  private final BoundMethod method;
  private final StreamingCodec codec;
  private final Object[] args;
  private final long deadline;
  private final long timeoutNanos;
  private final ByteBufAllocator alloc;
  // Made once: a method reference made per item would be an object per item.
  private final FrameWriter.ItemEncoder itemEncoder;

  /** Completes when the call ends: with the result (null for a response stream) or the failure. */
  final CompletableFuture<Object> result = new CompletableFuture<>();

  // Null for a method without a response stream.
  final InboundStream responseItems;
  // Null for a method without a request stream.
  private final Flow.Publisher<Object> requestPublisher;
  private final OutboundStream requestItems;
  // Guarded by this.
  private Attachments attachments;
  private boolean started;
  private boolean opening;
  private long creditGiven;
  private volatile Consumer<ClientStreamCall> opener;
  private boolean requestComplete;
  private boolean requestEndSent;
  private volatile Attempt current;
  private volatile Timeout deadlineTimer;

  @SuppressWarnings("unchecked")
  ClientStreamCall(
      ClientCalls calls,
      BoundMethod method,
      Object[] args,
      long deadline,
      long timeoutNanos,
      Executor executor,
      ByteBufAllocator alloc) {
    this.calls = calls;
    this.method = method;
    this.codec = (StreamingCodec) method.codec;
    this.deadline = deadline;
    this.timeoutNanos = timeoutNanos;
    this.alloc = alloc;
    this.itemEncoder = codec::writeRequestItem;
    int index = method.descriptor.requestStreamIndex();
    Object[] given = args == null ? new Object[0] : args;
    if (index >= 0) {
      Object publisher = given[index];
      if (publisher == null) {
        throw new IllegalArgumentException(
            "the Flow.Publisher of " + method.descriptor.displayName() + " is null");
      }
      this.requestPublisher = (Flow.Publisher<Object>) publisher;
      this.requestItems = new OutboundStream(this, method.descriptor.displayName());
      // The request carries the other arguments; the items follow in frames of their own.
      Object[] rest = new Object[given.length - 1];
      System.arraycopy(given, 0, rest, 0, index);
      System.arraycopy(given, index + 1, rest, index, given.length - index - 1);
      this.args = rest;
    } else {
      this.requestPublisher = null;
      this.requestItems = null;
      this.args = given;
    }
    this.responseItems =
        method.descriptor.hasResponseStream()
            ? new InboundStream(executor, this, method.descriptor.displayName())
            : null;
    result.whenComplete((value, failure) -> ended(failure));
  }

  /**
   * How a call with a response stream is opened at its subscriber's first demand: by the caller's
   * pipeline, which calls {@link #start} once its interceptors have passed the call on.
   */
  void openWith(Consumer<ClientStreamCall> opener) {
    this.opener = opener;
  }

  /**
   * Opens the call: sends its request, with the credit its subscriber has given so far as the first
   * credit of the response stream.
   *
   * @param attachments the request's, as the interceptors left them
   */
  void start(Attachments attachments) {
    synchronized (this) {
      if (started) {
        return;
      }
      started = true;
      this.attachments = attachments;
    }
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      result.completeExceptionally(
          CallFailures.expiredBeforeSending(method, null, false, timeoutNanos));
      return;
    }
    deadlineTimer = calls.timer.newTimeout(t -> expire(), remaining, TimeUnit.NANOSECONDS);
    if (requestItems != null) {
      // Subscribed before the stub returns, so that a hot publisher (a SubmissionPublisher, say)
      // keeps for this call what it is given from then on; nothing is asked of it before the
      // server gives credit.
      try {
        requestPublisher.subscribe(requestItems);
      } catch (RuntimeException e) {
        requestItems.onError(e);
      }
    }
    attempt(1, null, null);
  }

  private void expire() {
    Attempt a = current;
    result.completeExceptionally(
        CallFailures.deadlineExceeded(method, a == null ? null : a.chosen, false, timeoutNanos));
  }

  /** The call has ended, however: the streams stop, and a pending attempt is withdrawn. */
  private void ended(Throwable failure) {
    Timeout timer = deadlineTimer;
    if (timer != null) {
      timer.cancel();
    }
    if (requestItems != null) {
      requestItems.cancel();
    }
    if (responseItems != null) {
      if (failure == null) {
        responseItems.complete();
      } else {
        RpcException e = CallFailures.asRpcException(failure);
        responseItems.fail(e != null ? e : failure);
      }
    }
    Attempt a = current;
    if (a != null) {
      a.abandon();
    }
  }

  private void attempt(int number, List<Provider> tried, RpcException lastFailure) {
    if (result.isDone()) {
      return;
    }
    if (deadline - System.nanoTime() <= 0) {
      result.completeExceptionally(
          lastFailure != null
              ? lastFailure
              : CallFailures.expiredBeforeSending(method, null, false, timeoutNanos));
      return;
    }
    Provider chosen;
    try {
      chosen = method.providers.pick(method, args, tried, deadline);
    } catch (RpcException e) {
      result.completeExceptionally(lastFailure != null ? lastFailure : e);
      return;
    }
    long requestId = calls.nextRequestId();
    ByteBuf frame;
    CompletableFuture<ClientConnection> connecting;
    Attempt attempt = new Attempt(number, tried, chosen, requestId);
    try {
      frame =
          calls.frames.encodeStream(
              method, args, attachments(), attempt.takeFirstCredit(), requestId);
      connecting = calls.pool.connection(chosen);
    } catch (RpcException e) {
      result.completeExceptionally(e);
      return;
    }
    current = attempt;
    if (result.isDone()) {
      frame.release();
      attempt.abandon();
      return;
    }
    connecting.whenComplete(
        (connection, failure) -> {
          if (failure != null) {
            frame.release();
            attempt.fail(failure);
          } else {
            attempt.send(connection, frame);
          }
        });
  }

  private synchronized Attachments attachments() {
    return attachments;
  }

  // --- the response stream's subscriber, through the InboundStream ---

  @Override
  public void grant(int credit) {
    Attempt a;
    boolean open = false;
    synchronized (this) {
      creditGiven += credit;
      if (!started) {
        // The first demand opens the call, through the caller's pipeline so that its interceptors
        // see it; until the request is sent, credit only adds up, and the request carries it.
        open = !opening;
        opening = true;
        a = null;
      } else {
        a = current;
      }
    }
    if (open) {
      opener.accept(this);
    } else if (a != null) {
      a.conveyCredit();
    }
  }

  @Override
  public void cancel() {
    result.completeExceptionally(
        Status.CANCELLED
            .withDescription(
                "the subscriber cancelled the stream of " + method.descriptor.displayName())
            .asException());
  }

  @Override
  public void undeliverable(RejectedExecutionException e) {
    result.completeExceptionally(
        Status.RESOURCE_EXHAUSTED
            .withDescription(
                "the client's stream executor took no more of the stream of "
                    + method.descriptor.displayName()
                    + " (is the client closed?)")
            .asException(e));
  }

  // --- the request stream's items, from the caller's publisher ---

  @Override
  public void item(Object item) throws Exception {
    Attempt a = current;
    ByteBuf frame;
    try {
      frame =
          FrameWriter.streamItem(
              alloc,
              a.requestId,
              calls.frames.serializerId(),
              itemEncoder,
              item,
              calls.frames.maxBodySize());
    } catch (Throwable t) {
      if (FrameTooLargeException.findIn(t) != null) {
        throw Status.RESOURCE_EXHAUSTED
            .withDescription(
                "an item of the request stream of "
                    + method.descriptor.displayName()
                    + " is larger than the maximum frame body of "
                    + calls.frames.maxBodySize()
                    + " bytes")
            .asException(t);
      }
      throw CodecFailure.of(
          "could not encode an item of the request stream of " + method.descriptor.displayName(),
          t);
    }
    a.sendFrame(frame);
  }

  @Override
  public void completed() {
    Attempt a;
    synchronized (this) {
      requestComplete = true;
      a = current;
    }
    if (a != null) {
      a.maybeEndRequest();
    }
  }

  @Override
  public void failed(Throwable cause) {
    RpcException e =
        cause instanceof RpcException rpc
            ? rpc
            : Status.CANCELLED
                .withDescription(
                    "the request stream of "
                        + method.descriptor.displayName()
                        + " failed: "
                        + cause)
                .asException(cause);
    result.completeExceptionally(e);
  }

  /**
   * One attempt of the call on one provider: registered on its connection until the response ends
   * it, and the way the connection's frames for this call come in.
   */
  final class Attempt extends PendingCall {
    private final int number;
    private final List<Provider> tried;
    private final Provider chosen;
    private final long requestId;
    private volatile ClientConnection connection;
    // Whether the server has sent a frame of this stream: it takes stream calls and cancels.
    private volatile boolean heard;
    // The credit this attempt's server has been given (its request's, then credit frames).
    private long conveyed;

    Attempt(int number, List<Provider> tried, Provider chosen, long requestId) {
      // A response stream's end carries no result to decode.
      super(method.descriptor, method.descriptor.hasResponseStream() ? null : method.codec, false);
      this.number = number;
      this.tried = tried;
      this.chosen = chosen;
      this.requestId = requestId;
    }

    void send(ClientConnection c, ByteBuf frame) {
      if (isEnded()) {
        frame.release();
        return;
      }
      if (!RequestFrames.setTimeout(frame, deadline)) {
        frame.release();
        fail(CallFailures.expiredBeforeSending(method, c.provider(), false, timeoutNanos));
        return;
      }
      // Set first: the server may answer (credit, items) before send returns, on the event loop,
      // and its credit makes the request stream's items go out at once. No frame of this stream
      // goes out before the request even so: each waits for a frame from the server.
      connection = c;
      c.send(requestId, frame, this);
      // A frame from the server may have come in meanwhile.
      conveyCredit();
      maybeEndRequest();
    }

    /**
     * One item of the response stream, on the event loop: queued, and the stream returned for the
     * connection to {@link InboundStream#signal() signal} once its read is done; {@code null} when
     * nothing was queued.
     */
    InboundStream item(ByteBuf body) {
      heard();
      if (isEnded()) {
        withdraw();
        return null;
      }
      if (responseItems == null) {
        fail(
            Status.INTERNAL
                .withDescription(
                    "the server sent an item of a response stream "
                        + method.descriptor.displayName()
                        + " does not have")
                .asException());
        return null;
      }
      int bytes = body.readableBytes();
      Object item;
      try {
        item = codec.readResponseItem(new ByteBufInputStream(body));
      } catch (Throwable t) {
        fail(
            CodecFailure.of(
                "could not decode an item of the stream of " + method.descriptor.displayName(), t));
        return null;
      }
      if (!responseItems.offer(item, bytes)) {
        fail(
            Status.INTERNAL
                .withDescription(
                    "the server sent more items of the stream of "
                        + method.descriptor.displayName()
                        + " than its credit allowed")
                .asException());
        return null;
      }
      return responseItems;
    }

    /** Credit for the request stream, on the event loop. */
    void credit(int n) {
      heard();
      if (isEnded()) {
        withdraw();
        return;
      }
      if (requestItems != null) {
        requestItems.credit(n);
        maybeEndRequest();
      }
    }

    /** Sends the end of the request stream once it is complete and the server takes streams. */
    void maybeEndRequest() {
      ClientConnection c = connection;
      if (!heard || c == null || isEnded()) {
        return;
      }
      synchronized (ClientStreamCall.this) {
        if (!requestComplete || requestEndSent) {
          return;
        }
        requestEndSent = true;
      }
      c.sendStreamFrame(FrameWriter.streamEnd(alloc, requestId));
    }

    /**
     * The server sent a frame of this call: it takes stream calls, so the credit given meanwhile
     * may go out now (before, a credit frame could reach a server that takes it for an error).
     */
    private void heard() {
      if (!heard) {
        heard = true;
        conveyCredit();
      }
    }

    /** The credit the request carries: all the subscriber has given so far. */
    int takeFirstCredit() {
      synchronized (ClientStreamCall.this) {
        int first = (int) Math.min(Integer.MAX_VALUE, creditGiven);
        conveyed = first;
        return first;
      }
    }

    /** Sends the server the credit the subscriber gave since the server last heard of it. */
    void conveyCredit() {
      ClientConnection c = connection;
      if (c == null || !heard || isEnded()) {
        return;
      }
      int credit;
      synchronized (ClientStreamCall.this) {
        credit = (int) Math.min(Integer.MAX_VALUE, creditGiven - conveyed);
        conveyed += credit;
      }
      if (credit > 0) {
        c.sendStreamFrame(FrameWriter.streamCredit(alloc, requestId, credit));
      }
    }

    void sendFrame(ByteBuf frame) {
      ClientConnection c = connection;
      if (c == null || isEnded()) {
        frame.release();
        return;
      }
      c.sendStreamFrame(frame);
    }

    @Override
    void ended(Object value, Throwable failure) {
      if (failure == null) {
        calls.retryPolicy.succeeded(chosen);
        result.complete(value);
        return;
      }
      if (heard || connection == null) {
        withdraw();
      }
      // Else the server has said nothing yet, and may be one that takes no cancel frame: the
      // attempt stays registered, and is withdrawn (with a cancel) when its first frame comes.
      RpcException e = CallFailures.asRpcException(failure);
      if (e == null) {
        return;
      }
      if (!heard && isRefusedStreamFlag(e)) {
        result.completeExceptionally(
            Status.UNIMPLEMENTED
                .withDescription(
                    "the provider at "
                        + chosen.address()
                        + " does not take stream calls (it is older than them): "
                        + e.status().description())
                .asException(e));
        return;
      }
      if (e instanceof UnprocessedRequestException
          && !heard
          && calls.retryPolicy.mayRetry(method, e, chosen, number, deadline)) {
        attempt(number + 1, with(tried, chosen), e);
      } else {
        if (!(e instanceof UnprocessedRequestException)) {
          calls.retryPolicy.failed(chosen, e);
        }
        result.completeExceptionally(e);
      }
    }
  }

  private static boolean isRefusedStreamFlag(RpcException e) {
    String message = e.status().description();
    return e.code() == Status.Code.INVALID_ARGUMENT
        && message != null
        && message.startsWith("unknown request flags");
  }

  private static List<Provider> with(List<Provider> tried, Provider provider) {
    List<Provider> list = tried == null ? new ArrayList<>(2) : tried;
    list.add(provider);
    return list;
  }
}
