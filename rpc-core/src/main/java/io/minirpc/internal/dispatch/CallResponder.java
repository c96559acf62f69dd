package io.minirpc.internal.dispatch;

import io.minirpc.MethodCodec;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.internal.service.MethodDescriptor;

/**
 * Answers one call in the language of the transport it came by (a minirpc response frame, an HTTP
 * response). A {@link ServerCall} calls exactly one of these methods, once.
 */
public interface CallResponder {

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

  /** The caller's deadline passed before the call started or before it finished. */
  void deadlinePassed();

  /** The caller cancelled the call before it started or before it finished. */
  void cancelled();

  /** The call will never run: the server is closing and dropped it from the executor's queue. */
  void abandoned();
}
