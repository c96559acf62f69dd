package io.minirpc;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An absolute point in time by which a call must end, measured by a {@link Ticker}: what a caller's
 * timeout becomes when the call starts, and what travels with it through nested calls. Immutable.
 *
 * <pre>{@code
 * Deadline deadline = Deadline.after(Duration.ofMillis(200));
 * UserService users = client.stub(UserService.class, CallOptions.DEFAULT.withDeadline(deadline));
 * users.getUser(1); // the same 200 ms covers every call of this stub
 * }</pre>
 *
 * <p>Deadlines made with different tickers cannot be compared: tests give a fake ticker to every
 * deadline they compare, as with gRPC's {@code Deadline}.
 */
public final class Deadline implements Comparable<Deadline> {

  private final Ticker ticker;
  private final long deadlineNanos;

  private Deadline(Ticker ticker, long deadlineNanos) {
    this.ticker = ticker;
    this.deadlineNanos = deadlineNanos;
  }

  /** A deadline this long from now, by the system's monotonic clock. */
  public static Deadline after(Duration duration) {
    return after(duration, Ticker.SYSTEM);
  }

  /** A deadline this long from now, by this ticker. */
  public static Deadline after(Duration duration, Ticker ticker) {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(ticker, "ticker");
    return new Deadline(ticker, ticker.nanoTime() + saturatedNanos(duration));
  }

  /** A deadline this many units from now, by the system's monotonic clock. */
  public static Deadline after(long duration, TimeUnit unit) {
    Objects.requireNonNull(unit, "unit");
    return new Deadline(Ticker.SYSTEM, Ticker.SYSTEM.nanoTime() + unit.toNanos(duration));
  }

  /**
   * The deadline at this reading of the system's monotonic clock ({@link System#nanoTime()}): for
   * transports that keep time in nanoseconds.
   */
  public static Deadline atNanoTime(long nanoTime) {
    return new Deadline(Ticker.SYSTEM, nanoTime);
  }

  /** Whether the deadline has passed. */
  public boolean isExpired() {
    return deadlineNanos - ticker.nanoTime() <= 0;
  }

  /** The time left before the deadline; zero or negative once it has passed. */
  public Duration timeRemaining() {
    return Duration.ofNanos(deadlineNanos - ticker.nanoTime());
  }

  /** The time left before the deadline in this unit, rounded down; negative once it has passed. */
  public long timeRemaining(TimeUnit unit) {
    return unit.convert(deadlineNanos - ticker.nanoTime(), TimeUnit.NANOSECONDS);
  }

  /**
   * The deadline in {@link Ticker#nanoTime()} terms of its ticker: compare it with that ticker's
   * readings only.
   */
  public long nanoTime() {
    return deadlineNanos;
  }

  /** The ticker that measures this deadline. */
  public Ticker ticker() {
    return ticker;
  }

  /** Whether this deadline comes before the other one. */
  public boolean isBefore(Deadline other) {
    return compareTo(other) < 0;
  }

  /** The earlier of this deadline and the other one: this one if they are equal. */
  public Deadline minimum(Deadline other) {
    return other.isBefore(this) ? other : this;
  }

  /** This deadline moved by this much (earlier when negative). */
  public Deadline offset(Duration by) {
    return new Deadline(ticker, deadlineNanos + saturatedNanos(by));
  }

  /**
   * @throws IllegalArgumentException if the two deadlines have different tickers
   */
  @Override
  public int compareTo(Deadline other) {
    if (other.ticker != ticker) {
      throw new IllegalArgumentException(
          "cannot compare deadlines of different tickers: " + ticker + " and " + other.ticker);
    }
    return Long.signum(deadlineNanos - other.deadlineNanos);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Deadline other
        && other.ticker == ticker
        && other.deadlineNanos == deadlineNanos;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ticker, deadlineNanos);
  }

  /** The time left, for logs: {@code Deadline{in 1.500 s}}. */
  @Override
  public String toString() {
    long nanos = deadlineNanos - ticker.nanoTime();
    return String.format(java.util.Locale.ROOT, "Deadline{in %.3f s}", nanos / 1e9);
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
  }

  /**
   * A monotonic source of nanoseconds: {@link #SYSTEM} in production, a fake one in tests that must
   * control time.
   */
  @FunctionalInterface
  public interface Ticker {

    /** {@link System#nanoTime()}. */
    Ticker SYSTEM = System::nanoTime;

    /** The current reading, in nanoseconds from an arbitrary origin. */
    long nanoTime();
  }
}
