package io.minirpc.client;

import io.minirpc.RpcException;
import io.minirpc.Status;

/**
 * A call failed before any provider ran it: the connection could not be opened, was closed before
 * the request went out, or the provider refused the request because it was shutting down or too
 * busy. Such a call is safe to send elsewhere, whatever the method, and the client does so by
 * itself while its deadline and retry budget allow. Its status is {@link Status.Code#UNAVAILABLE},
 * or {@link Status.Code#RESOURCE_EXHAUSTED} when a busy provider refused it.
 */
public final class UnprocessedRequestException extends RpcException {

  private static final long serialVersionUID = 1L;

  public UnprocessedRequestException(String description, Throwable cause) {
    this(Status.UNAVAILABLE.withDescription(description), cause);
  }

  /** A request refused with this status (UNAVAILABLE or RESOURCE_EXHAUSTED) before it ran. */
  public UnprocessedRequestException(Status status, Throwable cause) {
    super(status, null, cause);
  }
}
