package io.minirpc.client;

import io.minirpc.ProviderState;
import io.minirpc.RpcException;
import java.util.concurrent.TimeUnit;

/**
 * What a client knows of one provider's health: a circuit breaker over its consecutive failures,
 * and whether it announced that it is going away.
 *
 * <p>After {@code threshold} consecutive failures (UNAVAILABLE or DEADLINE_EXCEEDED) the circuit
 * opens: the provider gets no calls for a cool-down period. Then one call probes it (half-open): if
 * it succeeds the circuit closes, if it fails the circuit opens again for twice as long, up to a
 * maximum.
 */
final class ProviderHealth {

  private enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final int threshold;
  private final long baseCoolDownNanos;
  private final long maxCoolDownNanos;
  private final Runnable onChange;
  // Volatile so that the calls of a healthy provider, nearly all of them, read them without the
  // lock that every caller thread would otherwise take twice per call.
  private volatile State state = State.CLOSED;
  private volatile int consecutiveFailures;
  private long coolDownNanos;
  private long openUntilNanos;
  private String lastFailure;
  private int goingAwayConnections;

  ProviderHealth(int threshold, long baseCoolDownNanos, long maxCoolDownNanos, Runnable onChange) {
    this.threshold = threshold;
    this.baseCoolDownNanos = baseCoolDownNanos;
    this.maxCoolDownNanos = maxCoolDownNanos;
    this.coolDownNanos = baseCoolDownNanos;
    this.onChange = onChange;
  }

  /** Whether a call may be sent to this provider now (as a probe, if its circuit was open). */
  synchronized boolean isAvailable(long now) {
    if (goingAwayConnections > 0) {
      return false;
    }
    return switch (state) {
      case CLOSED -> true;
      case OPEN -> now - openUntilNanos >= 0;
      case HALF_OPEN -> false;
    };
  }

  /**
   * The time from which an open circuit lets a probe through; {@code Long.MAX_VALUE} when nothing
   * time-bound keeps the provider out.
   */
  synchronized long availableFrom() {
    return state == State.OPEN && goingAwayConnections == 0 ? openUntilNanos : Long.MAX_VALUE;
  }

  /** A call was sent here: if the circuit was open, this call is its probe. */
  void picked(long now) {
    if (state != State.OPEN) {
      return;
    }
    boolean changed;
    synchronized (this) {
      changed = state == State.OPEN && now - openUntilNanos >= 0;
      if (changed) {
        state = State.HALF_OPEN;
      }
    }
    if (changed) {
      onChange.run();
    }
  }

  void succeeded() {
    // Closed without failures means the cool-down is at its base too: nothing to reset.
    if (state == State.CLOSED && consecutiveFailures == 0) {
      return;
    }
    boolean changed;
    synchronized (this) {
      changed = state != State.CLOSED;
      state = State.CLOSED;
      consecutiveFailures = 0;
      coolDownNanos = baseCoolDownNanos;
    }
    if (changed) {
      onChange.run();
    }
  }

  void failed(RpcException failure, long now) {
    boolean changed = false;
    synchronized (this) {
      if (goingAwayConnections > 0) {
        // Failures of a provider that is shutting down say nothing about its health.
        return;
      }
      consecutiveFailures++;
      lastFailure = failure.getMessage();
      if (state == State.HALF_OPEN) {
        coolDownNanos = Math.min(maxCoolDownNanos, coolDownNanos * 2);
        open(now);
        changed = true;
      } else if (state == State.CLOSED && consecutiveFailures >= threshold) {
        open(now);
        changed = true;
      }
    }
    if (changed) {
      onChange.run();
    }
  }

  private void open(long now) {
    state = State.OPEN;
    openUntilNanos = now + coolDownNanos;
  }

  void goingAway() {
    synchronized (this) {
      goingAwayConnections++;
    }
    onChange.run();
  }

  /** A connection that had been told the provider is going away has closed. */
  void goneAway() {
    synchronized (this) {
      goingAwayConnections = Math.max(0, goingAwayConnections - 1);
    }
    onChange.run();
  }

  /** The state as monitoring sees it. */
  synchronized ProviderState state() {
    if (goingAwayConnections > 0) {
      return ProviderState.GOING_AWAY;
    }
    return switch (state) {
      case CLOSED -> ProviderState.AVAILABLE;
      case OPEN -> ProviderState.CIRCUIT_OPEN;
      case HALF_OPEN -> ProviderState.CIRCUIT_HALF_OPEN;
    };
  }

  /** The state in words, for the message of a call that found no provider. */
  synchronized String describe(long now) {
    if (goingAwayConnections > 0) {
      return "going away";
    }
    return switch (state) {
      case CLOSED ->
          consecutiveFailures == 0
              ? "healthy"
              : consecutiveFailures + " consecutive failures (last: " + lastFailure + ")";
      case OPEN ->
          "circuit open for "
              + TimeUnit.NANOSECONDS.toMillis(Math.max(0, openUntilNanos - now))
              + " ms more after "
              + consecutiveFailures
              + " consecutive failures (last: "
              + lastFailure
              + ")";
      case HALF_OPEN -> "being probed after " + consecutiveFailures + " consecutive failures";
    };
  }
}
