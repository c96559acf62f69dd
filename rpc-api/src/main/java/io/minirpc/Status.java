package io.minirpc;

import java.util.Objects;

/**
 * The outcome of a call: a code from a small closed set and a description meant for people.
 *
 * <p>Statuses are immutable; derive a described one from a constant:
 *
 * <pre>{@code
 * throw Status.NOT_FOUND.withDescription("no service 'Foo' on this server").asException();
 * }</pre>
 */
public final class Status {

  /** The closed set of outcomes. Each has a fixed number that travels in a response header. */
  public enum Code {
    OK(0),
    /** The caller gave up on the call. */
    CANCELLED(1),
    /** The call did not finish before its deadline. */
    DEADLINE_EXCEEDED(2),
    /** No provider could be reached, or the connection was lost: the call may be tried again. */
    UNAVAILABLE(3),
    /** The server has no such service or method. */
    NOT_FOUND(4),
    /** The request was malformed: wrong arguments, an unknown flag or protocol version. */
    INVALID_ARGUMENT(5),
    /** A value could not be encoded or decoded, or names a class that may not be created. */
    SERIALIZATION(6),
    /** The service's own code threw an exception. */
    APPLICATION_ERROR(7),
    /** A limit was hit: the server's executor is full, or a frame is larger than allowed. */
    RESOURCE_EXHAUSTED(8),
    /** The caller did not prove who it is. */
    UNAUTHENTICATED(9),
    /** The caller may not make this call. */
    PERMISSION_DENIED(10),
    /** The peer does not implement what was asked, such as a protocol version or serializer. */
    UNIMPLEMENTED(11),
    /** A bug or broken invariant in minirpc itself. */
    INTERNAL(12);

    /** The codes by wire number, whatever their order of declaration; gaps are null. */
    private static final Code[] BY_VALUE = byValue();

    private final int value;

    Code(int value) {
      this.value = value;
    }

    /** The number of this code on the wire. */
    public int value() {
      return value;
    }

    /** The code with this wire number, or {@link #INTERNAL} for a number this version lacks. */
    public static Code of(int value) {
      Code code = value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
      return code == null ? INTERNAL : code;
    }

    private static Code[] byValue() {
      int max = 0;
      for (Code code : values()) {
        max = Math.max(max, code.value);
      }
      Code[] byValue = new Code[max + 1];
      for (Code code : values()) {
        if (byValue[code.value] != null) {
          throw new AssertionError(code + " and " + byValue[code.value] + " share wire number");
        }
        byValue[code.value] = code;
      }
      return byValue;
    }

    /** The status of this code with no description. */
    public Status toStatus() {
      return STATUSES[ordinal()];
    }
  }

  private static final Status[] STATUSES = new Status[Code.values().length];

  static {
    for (Code code : Code.values()) {
      STATUSES[code.ordinal()] = new Status(code, null);
    }
  }

  public static final Status OK = Code.OK.toStatus();
  public static final Status CANCELLED = Code.CANCELLED.toStatus();
  public static final Status DEADLINE_EXCEEDED = Code.DEADLINE_EXCEEDED.toStatus();
  public static final Status UNAVAILABLE = Code.UNAVAILABLE.toStatus();
  public static final Status NOT_FOUND = Code.NOT_FOUND.toStatus();
  public static final Status INVALID_ARGUMENT = Code.INVALID_ARGUMENT.toStatus();
  public static final Status SERIALIZATION = Code.SERIALIZATION.toStatus();
  public static final Status APPLICATION_ERROR = Code.APPLICATION_ERROR.toStatus();
  public static final Status RESOURCE_EXHAUSTED = Code.RESOURCE_EXHAUSTED.toStatus();
  public static final Status UNAUTHENTICATED = Code.UNAUTHENTICATED.toStatus();
  public static final Status PERMISSION_DENIED = Code.PERMISSION_DENIED.toStatus();
  public static final Status UNIMPLEMENTED = Code.UNIMPLEMENTED.toStatus();
  public static final Status INTERNAL = Code.INTERNAL.toStatus();

  private final Code code;
  private final String description;

  private Status(Code code, String description) {
    this.code = code;
    this.description = description;
  }

  public Code code() {
    return code;
  }

  /** What happened, for people; {@code null} when none was given. */
  public String description() {
    return description;
  }

  public boolean isOk() {
    return code == Code.OK;
  }

  /** A status with the same code and this description. */
  public Status withDescription(String description) {
    return Objects.equals(this.description, description) ? this : new Status(code, description);
  }

  /** An exception carrying this status. */
  public RpcException asException() {
    return new RpcException(this);
  }

  /** An exception carrying this status and the cause that led to it. */
  public RpcException asException(Throwable cause) {
    return new RpcException(this, null, cause);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Status other
        && code == other.code
        && Objects.equals(description, other.description);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, description);
  }

  @Override
  public String toString() {
    return description == null ? code.name() : code + ": " + description;
  }

  /**
   * The status a failure stands for: {@link Status#OK} for {@code null}, the status of an {@link
   * RpcException} (found through the causes of {@code CompletionException}s and {@code
   * ExecutionException}s), {@code CANCELLED} for a {@code CancellationException}, and {@code
   * INTERNAL} for anything else. For interceptors that record outcomes.
   */
  public static Status fromThrowable(Throwable failure) {
    Throwable t = failure;
    while (t != null) {
      if (t instanceof RpcException e) {
        return e.status();
      }
      if (t instanceof java.util.concurrent.CancellationException) {
        return CANCELLED;
      }
      if (!(t instanceof java.util.concurrent.CompletionException)
          && !(t instanceof java.util.concurrent.ExecutionException)) {
        return INTERNAL.withDescription(t.toString());
      }
      t = t.getCause();
    }
    return failure == null ? OK : INTERNAL;
  }
}
