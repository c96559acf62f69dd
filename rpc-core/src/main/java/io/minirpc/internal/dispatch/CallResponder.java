package io.minirpc.internal.dispatch;

import io.minirpc.MethodCodec;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.internal.service.MethodDescriptor;
import java.util.concurrent.CompletableFuture;

/**
 * Answers one call in the language of the transport it came by (a minirpc response frame, an HTTP
 * response). A {@link ServerCall} calls exactly one of the answering methods, once; {@link
 * #accepted} comes before it, if at all.
 */
public interface CallResponder {

  /**
   * The call passed the server's limits and is about to be queued for the business executor; from
   * now on it may be {@linkplain ServerCall#cancel() cancelled}. Called on the I/O thread, before
   * any answer. Nothing to do by default.
   */
  default void accepted(ServerCall call) {}

  /** The method returned this result (the value of its future, for an asynchronous method). */
  void succeed(MethodDescriptor method, MethodCodec codec, Object result);

  /** The call failed; {@code remoteType} names the service's exception, or is {@code null}. */
  void fail(Status status, String remoteType);

  default void fail(Status status) {
    fail(status, null);
  }

  default void fail(RpcException e) {
    fail(e.status(), e.remoteType());
  }

  /**
   * The call never ran: a {@code maxConcurrentCalls} limit was reached, or the business executor
   * was full. A transport that can tell the caller it may safely send the call elsewhere does so;
   * by default this is {@link #fail(Status)}.
   */
  default void refuseUnprocessed(Status status) {
    fail(status);
  }

  /** The caller's deadline passed before the call started or before it finished. */
  void deadlinePassed();

  /** The caller cancelled the call before it started or before it finished. */
  void cancelled();

  /** The call will never run: the server is closing and dropped it from the executor's queue. */
  void abandoned();

  /**
   * Starts a stream call's response stream from the publisher its service returned, and returns the
   * future of the call's end (null after the last item, else its failure as an RpcException). Only
   * a transport that carries stream calls implements it.
   */
  default CompletableFuture<Object> streamResponse(Object publisher) {
    throw new UnsupportedOperationException("this transport carries no stream calls");
  }

  /**
   * Runs this once the call has ended for good: for a stream call, when its stream ends rather than
   * when it is answered. Only a transport that carries stream calls implements it.
   */
  default void whenFinished(Runnable action) {
    throw new UnsupportedOperationException("this transport carries no stream calls");
  }
}
