package io.minirpc;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A call a client is about to make, as its {@link ClientInterceptor}s see it: the service and
 * method, the arguments, the attachments and the deadline. Immutable: an interceptor passes a
 * changed copy ({@link #withAttachment}, {@link #withDeadline}) to the next step.
 */
public final class ClientRequest {

  private final String service;
  private final String method;
  private final Object[] arguments;
  private final Attachments attachments;
  private final Deadline deadline;
  private final boolean oneWay;
  private final boolean idempotent;

  /**
   * Made by the client for each call; public so that interceptors can be tested alone.
   *
   * @param arguments the call's arguments, not copied: the caller's array, which nobody changes
   */
  public ClientRequest(
      String service,
      String method,
      Object[] arguments,
      Attachments attachments,
      Deadline deadline,
      boolean oneWay,
      boolean idempotent) {
    this.service = Objects.requireNonNull(service, "service");
    this.method = Objects.requireNonNull(method, "method");
    this.arguments = arguments == null ? new Object[0] : arguments;
    this.attachments = Objects.requireNonNull(attachments, "attachments");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    this.oneWay = oneWay;
    this.idempotent = idempotent;
  }

  /** The service key: the service's name, plus {@code :version} when it has one. */
  public String service() {
    return service;
  }

  /** The method's name. */
  public String method() {
    return method;
  }

  /** The arguments, unmodifiable. */
  public List<Object> arguments() {
    return Collections.unmodifiableList(Arrays.asList(arguments));
  }

  /** The arguments as the client encodes them; not to be changed. */
  public Object[] argumentArray() {
    return arguments;
  }

  /** The attachments the call carries so far. */
  public Attachments attachments() {
    return attachments;
  }

  /** When the caller stops waiting. */
  public Deadline deadline() {
    return deadline;
  }

  /** Whether the method is {@link OneWay}: its future completes once the request is sent. */
  public boolean isOneWay() {
    return oneWay;
  }

  /** Whether the method is {@link Idempotent}, so that a failed attempt may be tried again. */
  public boolean isIdempotent() {
    return idempotent;
  }

  /** This request with one more attachment, replacing the value of the same key. */
  public ClientRequest withAttachment(String key, String value) {
    return withAttachments(attachments.with(key, value));
  }

  /** This request with these attachments instead of its own. */
  public ClientRequest withAttachments(Attachments attachments) {
    return new ClientRequest(service, method, arguments, attachments, deadline, oneWay, idempotent);
  }

  /** This request with this deadline; a later one than the caller's is allowed but unusual. */
  public ClientRequest withDeadline(Deadline deadline) {
    return new ClientRequest(service, method, arguments, attachments, deadline, oneWay, idempotent);
  }

  /** This request with these arguments (as many as the method takes, of its types). */
  public ClientRequest withArguments(Object... arguments) {
    return new ClientRequest(
        service, method, arguments.clone(), attachments, deadline, oneWay, idempotent);
  }

  @Override
  public String toString() {
    return "ClientRequest{" + service + "/" + method + ", " + attachments + ", " + deadline + "}";
  }
}
