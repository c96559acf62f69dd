package io.minirpc.client;

import io.minirpc.RpcException;
import io.minirpc.Status;

/**
 * A call failed before any provider ran it: the connection could not be opened, was closed before
 * the request went out, or the provider refused the request because it was shutting down. Such a
 * call is safe to send elsewhere, whatever the method, and the client does so by itself while its
 * deadline and retry budget allow. Its status is always {@link Status.Code#UNAVAILABLE}.
 */
public final class UnprocessedRequestException extends RpcException {

  private static final long serialVersionUID = 1L;

  public UnprocessedRequestException(String description, Throwable cause) {
    super(Status.UNAVAILABLE.withDescription(description), null, cause);
  }
}
