package io.minirpc;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of the calls made through one stub: their timeout or deadline, and attachments they all
 * carry. Immutable; derive new ones with the {@code withX} methods. Stubs are cheap: make one per
 * set of options, even per call.
 *
 * <pre>{@code
 * UserService fast = client.stub(UserService.class,
 *     CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200)).withAttachment("tenant", "acme"));
 * }</pre>
 *
 * <p>A call's deadline is the earliest of: its stub's {@link #withDeadline deadline}, its timeout
 * from now (the stub's {@link #withTimeout timeout}, else its method's {@link CallTimeout}, else
 * its client's), and, for a call made while serving another, the deadline of the call being served.
 */
public final class CallOptions {

  /** No overrides: each call takes its method's or its client's defaults, and no attachments. */
  public static final CallOptions DEFAULT = new CallOptions(null, null, Attachments.EMPTY);

  private final Duration timeout;
  private final Deadline deadline;
  private final Attachments attachments;

  private CallOptions(Duration timeout, Deadline deadline, Attachments attachments) {
    this.timeout = timeout;
    this.deadline = deadline;
    this.attachments = attachments;
  }

  /**
   * Options whose calls have this timeout, whatever their method's {@link CallTimeout} says.
   *
   * @throws IllegalArgumentException if the timeout is not positive
   */
  public CallOptions withTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    return new CallOptions(timeout, deadline, attachments);
  }

  /**
   * Options whose calls end by this deadline at the latest, however long their timeout; a call made
   * once it has passed fails with DEADLINE_EXCEEDED without being sent. Deadlines of a fake {@link
   * Deadline.Ticker} are for tests of code that never sends the call.
   */
  public CallOptions withDeadline(Deadline deadline) {
    return new CallOptions(timeout, Objects.requireNonNull(deadline, "deadline"), attachments);
  }

  /**
   * Options whose calls carry this attachment too, besides those the client's interceptors add.
   *
   * @throws IllegalArgumentException if the key is not a valid attachment key
   */
  public CallOptions withAttachment(String key, String value) {
    return new CallOptions(timeout, deadline, attachments.with(key, value));
  }

  /** Options whose calls carry these attachments too (replacing values of the same keys). */
  public CallOptions withAttachments(Attachments more) {
    Objects.requireNonNull(more, "attachments");
    Attachments merged = attachments;
    for (var e : more.asMap().entrySet()) {
      merged = merged.with(e.getKey(), e.getValue());
    }
    return new CallOptions(timeout, deadline, merged);
  }

  /** The timeout these options set, if any. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** The deadline these options set, if any. */
  public Optional<Deadline> deadline() {
    return Optional.ofNullable(deadline);
  }

  /** The attachments every call of these options carries; {@link Attachments#EMPTY} if none. */
  public Attachments attachments() {
    return attachments;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallOptions other
        && Objects.equals(timeout, other.timeout)
        && Objects.equals(deadline, other.deadline)
        && attachments.equals(other.attachments);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeout, deadline, attachments);
  }

  @Override
  public String toString() {
    return "CallOptions{timeout=" + timeout + ", deadline=" + deadline + ", " + attachments + "}";
  }
}
