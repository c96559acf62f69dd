package io.minirpc.internal.dispatch;

import io.minirpc.MethodCodec;
import io.minirpc.Status;
import io.minirpc.internal.service.MethodDescriptor;

/**
 * Gives a call's slots back to its method's {@link ConcurrencyLimit}s as it is answered, whichever
 * way: a {@link ServerCall} calls exactly one answering method of its responder, once.
 */
final class SlotReleasingResponder implements CallResponder {

  private final ExportedMethod method;
  private final CallResponder delegate;

  SlotReleasingResponder(ExportedMethod method, CallResponder delegate) {
    this.method = method;
    this.delegate = delegate;
  }

  @Override
  public void accepted(ServerCall call) {
    delegate.accepted(call);
  }

  @Override
  public void succeed(MethodDescriptor descriptor, MethodCodec codec, Object result) {
    method.release();
    delegate.succeed(descriptor, codec, result);
  }

  @Override
  public void fail(Status status, String remoteType) {
    method.release();
    delegate.fail(status, remoteType);
  }

  @Override
  public void refuseUnprocessed(Status status) {
    method.release();
    delegate.refuseUnprocessed(status);
  }

  @Override
  public void deadlinePassed() {
    method.release();
    delegate.deadlinePassed();
  }

  @Override
  public void cancelled() {
    method.release();
    delegate.cancelled();
  }

  @Override
  public void abandoned() {
    method.release();
    delegate.abandoned();
  }
}
