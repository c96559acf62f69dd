package io.minirpc;

import java.util.Objects;

/**
 * The one exception a caller sees when a call fails: it carries the call's {@link Status}.
 *
 * <p>When the service's own code threw, the status is {@link Status.Code#APPLICATION_ERROR} and
 * {@link #remoteType()} names the class of what was thrown on the server; the description is its
 * message. The server's exception object itself never travels.
 */
public class RpcException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Status status;
  private final String remoteType;

  public RpcException(Status status) {
    this(status, null, null);
  }

  public RpcException(Status status, String remoteType, Throwable cause) {
    super(messageOf(Objects.requireNonNull(status, "status"), remoteType), cause);
    this.status = status;
    this.remoteType = remoteType;
  }

  /** A failure reported by a service: {@code remoteType} is the class the server's code threw. */
  public static RpcException application(String remoteType, String message) {
    return new RpcException(Status.APPLICATION_ERROR.withDescription(message), remoteType, null);
  }

  public Status status() {
    return status;
  }

  /** Shorthand for {@code status().code()}. */
  public Status.Code code() {
    return status.code();
  }

  /** The class name of the exception the service threw, or {@code null} if it did not throw. */
  public String remoteType() {
    return remoteType;
  }

  private static String messageOf(Status status, String remoteType) {
    String description = status.description() == null ? "" : status.description();
    return remoteType == null
        ? status.code() + ": " + description
        : status.code() + ": " + remoteType + ": " + description;
  }
}
