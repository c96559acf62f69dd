package io.minirpc.http;

import io.minirpc.Deadline;
import io.minirpc.MethodCodec;
import io.minirpc.Status;
import io.minirpc.internal.dispatch.CallResponder;
import io.minirpc.internal.dispatch.InFlightCalls;
import io.minirpc.internal.dispatch.ServerCall;
import io.minirpc.internal.service.CodecFailure;
import io.minirpc.internal.service.MethodDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers one call that came over HTTP, once: the result as JSON written straight into the
 * response's buffer on the thread that produced it, or the failure as an error body; then hands the
 * response to the connection's event loop, where it waits for its turn. Unlike a minirpc caller, an
 * HTTP client has no deadline of its own, so a call that outlives its deadline is answered 504 when
 * the deadline passes, and its late result is dropped. Also answers the service listing and health
 * checks, which have no deadline.
 */
final class HttpCallResponder implements CallResponder {

  private final Exchange exchange;
  private final InOrderResponses responses;
  private final EventExecutor loop;
  private final ByteBufAllocator alloc;
  private final InFlightCalls inFlight;
  private final String what;
  private final long timeoutMillis;
  private final Deadline deadline;
  private final AtomicBoolean answered = new AtomicBoolean();

  /**
   * @param what names the call in the messages of 504 and 499 answers: its method's display name
   * @param deadline when to answer 504, or {@code null} for none
   */
  HttpCallResponder(
      Exchange exchange,
      InOrderResponses responses,
      EventExecutor loop,
      ByteBufAllocator alloc,
      InFlightCalls inFlight,
      String what,
      long timeoutMillis,
      Deadline deadline) {
    this.exchange = exchange;
    this.responses = responses;
    this.loop = loop;
    this.alloc = alloc;
    this.inFlight = inFlight;
    this.what = what;
    this.timeoutMillis = timeoutMillis;
    this.deadline = deadline;
    inFlight.started();
  }

  /**
   * Answers 504 at the deadline unless the call has answered by then. Called on the event loop just
   * before the call is handed to the executor.
   */
  @Override
  public void accepted(ServerCall call) {
    if (deadline != null && !answered.get() && !exchange.isAnswered()) {
      exchange.deadlineTimer =
          loop.schedule(
              this::deadlinePassed,
              deadline.timeRemaining(TimeUnit.NANOSECONDS),
              TimeUnit.NANOSECONDS);
    }
  }

  /** Answers with a response the bridge made itself: the service listing, a health check. */
  void succeed(FullHttpResponse response) {
    if (answered.compareAndSet(false, true)) {
      deliver(response);
    } else {
      response.release();
    }
  }

  @Override
  public void succeed(MethodDescriptor method, MethodCodec codec, Object result) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    ByteBuf json = alloc.buffer();
    try {
      codec.writeResult(result, new ByteBufOutputStream(json));
    } catch (Throwable t) {
      json.release();
      Status failure =
          CodecFailure.of("could not encode the result of " + method.displayName(), t).status();
      // The arguments were fine: the server could not write its own result.
      deliver(
          JsonResponses.failure(
              alloc, exchange.version, HttpResponseStatus.INTERNAL_SERVER_ERROR, failure, null));
      return;
    }
    deliver(JsonResponses.ok(exchange.version, json));
  }

  @Override
  public void fail(Status status, String remoteType) {
    if (answered.compareAndSet(false, true)) {
      deliver(JsonResponses.failure(alloc, exchange.version, status, remoteType));
    }
  }

  @Override
  public void deadlinePassed() {
    fail(
        Status.DEADLINE_EXCEEDED.withDescription(
            what + " did not answer within " + timeoutMillis + " ms"));
  }

  /**
   * HTTP callers cannot cancel yet; should one, it still gets an answer, so the next can follow.
   */
  @Override
  public void cancelled() {
    fail(Status.CANCELLED.withDescription(what + " was cancelled"));
  }

  @Override
  public void abandoned() {
    fail(Status.UNAVAILABLE.withDescription("the server closed before the call ran"));
  }

  private void deliver(FullHttpResponse response) {
    try {
      if (loop.inEventLoop()) {
        responses.answer(exchange, response);
      } else {
        loop.execute(() -> responses.answer(exchange, response));
      }
    } catch (RejectedExecutionException e) {
      // The connection's event loop has stopped: nobody will write this.
      response.release();
    } finally {
      inFlight.finished();
    }
  }
}
