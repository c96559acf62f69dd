package io.minirpc;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of the calls made through one stub, such as their timeout. Immutable; derive new ones
 * with the {@code withX} methods.
 *
 * <pre>{@code
 * UserService fast = client.stub(UserService.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200)));
 * }</pre>
 */
public final class CallOptions {

  /** No overrides: each call takes its method's or its client's defaults. */
  public static final CallOptions DEFAULT = new CallOptions(null);

  private final Duration timeout;

  private CallOptions(Duration timeout) {
    this.timeout = timeout;
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
    return new CallOptions(timeout);
  }

  /** The timeout these options set, if any. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallOptions other && Objects.equals(timeout, other.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(timeout);
  }

  @Override
  public String toString() {
    return "CallOptions{timeout=" + timeout + "}";
  }
}
