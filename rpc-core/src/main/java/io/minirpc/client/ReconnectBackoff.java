package io.minirpc.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * When a provider's address may be connected to again after connects to it failed: not before a
 * delay that starts at {@code initial} and doubles with each failure in a row, up to {@code max},
 * each drawn at random between 80% and 100% of its nominal value so that many clients cut off
 * together do not come back in step. A successful connect starts it over.
 *
 * <p>The jitter only shortens a delay, so a delay never exceeds {@code max}: the client sets that
 * to at most the circuit breaker's open time, so that the probe a circuit lets through when it
 * half-opens always gets a real connect attempt rather than a refusal that would open it again for
 * twice as long.
 */
final class ReconnectBackoff {

  private final long initialNanos;
  private final long maxNanos;
  private long nextDelayNanos;
  private long retryAtNanos;
  private boolean waiting;
  private String lastFailure;

  ReconnectBackoff(long initialNanos, long maxNanos) {
    this.initialNanos = Math.min(initialNanos, maxNanos);
    this.maxNanos = maxNanos;
    this.nextDelayNanos = this.initialNanos;
  }

  /** Nanoseconds until a connect may be tried; 0 or less when it may be tried now. */
  synchronized long remainingNanos(long now) {
    return waiting ? retryAtNanos - now : 0;
  }

  /** Why the last connect failed, for the calls refused while waiting. */
  synchronized String lastFailure() {
    return lastFailure;
  }

  synchronized void failed(String reason, long now) {
    long delay = (long) (nextDelayNanos * (0.8 + 0.2 * ThreadLocalRandom.current().nextDouble()));
    retryAtNanos = now + delay;
    waiting = true;
    lastFailure = reason;
    nextDelayNanos = Math.min(maxNanos, nextDelayNanos * 2);
  }

  synchronized void connected() {
    waiting = false;
    lastFailure = null;
    nextDelayNanos = initialNanos;
  }
}
