package io.minirpc.internal.dispatch;

import io.minirpc.Attachments;
import io.minirpc.Deadline;
import io.minirpc.MethodCodec;
import io.minirpc.ServerCallContext;
import io.minirpc.Status;
import io.minirpc.internal.call.ServerCallContexts;
import io.netty.buffer.ByteBuf;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;

/**
 * Starts the calls of a server, whatever transport they came by: takes the slots of the method's
 * {@code maxConcurrentCalls} limits, makes the {@link ServerCall} and queues it on the business
 * executor. A call refused by a limit or a full executor goes through the server's interceptors on
 * the I/O thread and is answered through {@link CallResponder#refuseUnprocessed}. What differs
 * between the minirpc protocol and the REST bridge lives in their {@link CallResponder}s; what is
 * checked before the method is known (the request's form, its service and method, attachments) in
 * their own handlers.
 */
public final class ServerDispatcher {

  private static final Status BUSY =
      Status.RESOURCE_EXHAUSTED.withDescription(
          "the server is busy: its business executor is full; try again later");

  private final Executor executor;
  private final ServerInterceptors interceptors;

  public ServerDispatcher(Executor executor, ServerInterceptors interceptors) {
    this.executor = executor;
    this.interceptors = interceptors;
  }

  /** The server's interceptors, for what a transport answers itself (the REST listing). */
  public ServerInterceptors interceptors() {
    return interceptors;
  }

  /** The business executor, where stream items are handed to the service too. */
  public Executor executor() {
    return executor;
  }

  /**
   * Starts a call of this method, or refuses it; the call is always answered through the responder.
   *
   * @param body the request, positioned at the arguments; released by the call, whatever happens
   * @param deadline the caller's, or {@code null} if it set none
   */
  public void dispatch(
      ExportedMethod method,
      MethodCodec codec,
      ByteBuf body,
      CallResponder responder,
      Attachments attachments,
      SocketAddress remoteAddress,
      Deadline deadline) {
    dispatch(method, codec, body, responder, attachments, remoteAddress, deadline, null);
  }

  /**
   * Starts a call as {@link #dispatch(ExportedMethod, MethodCodec, ByteBuf, CallResponder,
   * Attachments, SocketAddress, Deadline)} does, for a stream call whose request stream's items the
   * service gets from this publisher ({@code null} for a method without a request stream). A stream
   * call keeps its slots of the method's limits until its stream ends, which its responder says
   * through {@link CallResponder#whenFinished}.
   */
  public void dispatch(
      ExportedMethod method,
      MethodCodec codec,
      ByteBuf body,
      CallResponder responder,
      Attachments attachments,
      SocketAddress remoteAddress,
      Deadline deadline,
      Flow.Publisher<Object> requestStream) {
    ServerCallContext context =
        ServerCallContexts.create(
            method.descriptor().serviceKey(),
            method.descriptor().name(),
            attachments,
            remoteAddress,
            deadline);
    Status refusal = method.admit();
    if (refusal != null) {
      // No slot was taken: the plain responder, which gives none back.
      new ServerCall(method, codec, body, responder, context, deadline, interceptors, requestStream)
          .refuse(refusal);
      return;
    }
    CallResponder answering;
    if (method.descriptor().isStreaming()) {
      // Its answer starts the stream; the slots are given back when the stream ends.
      responder.whenFinished(method::release);
      answering = responder;
    } else {
      answering = method.releasing(responder);
    }
    ServerCall call =
        new ServerCall(
            method, codec, body, answering, context, deadline, interceptors, requestStream);
    responder.accepted(call);
    try {
      executor.execute(call);
    } catch (RejectedExecutionException e) {
      call.refuse(BUSY);
    }
  }
}
