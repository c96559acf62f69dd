package io.minirpc.client;

import io.minirpc.Provider;
import io.minirpc.RpcException;
import io.minirpc.Status;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** The failures a caller sees when the client itself ends a call: what happened, and why. */
final class CallFailures {

  private CallFailures() {}

  /**
   * @param timeoutNanos the timeout that ran out: of the attempt, or of the call, which is shorter
   *     than the method's when it inherited the time left of the call being served
   */
  static RpcException expiredBeforeSending(
      BoundMethod method, Provider provider, boolean attempt, long timeoutNanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, timeoutNanos));
    return Status.DEADLINE_EXCEEDED
        .withDescription(
            method.descriptor.displayName()
                + " ran out of time before its request was sent"
                + (provider == null ? "" : " to " + provider.address())
                + " (timeout "
                + millis
                + " ms"
                + (attempt ? " for one attempt" : "")
                + (!attempt && timeoutNanos < method.timeoutNanos
                    ? ", the time left of the call being served"
                    : "")
                + "); nothing was sent")
        .asException();
  }

  /**
   * @param timeoutNanos the timeout that ran out: of the attempt, or of the call, which is shorter
   *     than the method's when it inherited the time left of the call being served
   */
  static RpcException deadlineExceeded(
      BoundMethod method, Provider provider, boolean attempt, long timeoutNanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
    return Status.DEADLINE_EXCEEDED
        .withDescription(
            method.descriptor.displayName()
                + " did not answer within "
                + millis
                + " ms"
                + (attempt ? " (the timeout of one attempt)" : "")
                + (!attempt && timeoutNanos < method.timeoutNanos
                    ? " (the time left of the call being served)"
                    : "")
                + (provider == null ? "" : " (provider " + provider.address() + ")"))
        .asException();
  }

  /** The failure of an attempt as an RpcException; null when the attempt was abandoned. */
  static RpcException asRpcException(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof CancellationException) {
      return null;
    }
    return cause instanceof RpcException e
        ? e
        : Status.INTERNAL.withDescription(String.valueOf(cause.getMessage())).asException(cause);
  }

  /**
   * The failure to throw from a blocking call. A failure completed on an event loop has that
   * thread's stack; a copy made here shows the caller's own, with the original as its cause.
   */
  static RpcException inCallerThread(Throwable failure) {
    if (failure instanceof UnprocessedRequestException e) {
      return new UnprocessedRequestException(e.status(), e);
    }
    if (failure instanceof RpcException e) {
      return new RpcException(e.status(), e.remoteType(), e);
    }
    return Status.INTERNAL
        .withDescription(String.valueOf(failure.getMessage()))
        .asException(failure);
  }

  /** CANCELLED: the caller's thread was interrupted while it waited for the answer. */
  static RpcException interrupted(BoundMethod method, InterruptedException cause) {
    return Status.CANCELLED
        .withDescription(
            "interrupted while waiting for " + method.descriptor.displayName() + " to answer")
        .asException(cause);
  }

  static RpcException tooManyInFlight(BoundMethod method, int maxCallsInFlight, long timeoutNanos) {
    return Status.RESOURCE_EXHAUSTED
        .withDescription(
            "too many calls in flight: this client allows "
                + maxCallsInFlight
                + " at once (RpcClient.Builder.maxCallsInFlight), and none ended within the "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                + " ms timeout of "
                + method.descriptor.displayName()
                + "; it was not sent")
        .asException();
  }

  static RpcException outboundFull(
      BoundMethod method, ClientConnection connection, long writeBufferWaitNanos) {
    return Status.RESOURCE_EXHAUSTED
        .withDescription(
            "outbound buffer full: the connection to "
                + connection.provider().address()
                + " took no more requests within "
                + TimeUnit.NANOSECONDS.toMillis(writeBufferWaitNanos)
                + " ms (the server or the network reads too slowly); "
                + method.descriptor.displayName()
                + " was not sent")
        .asException();
  }
}
