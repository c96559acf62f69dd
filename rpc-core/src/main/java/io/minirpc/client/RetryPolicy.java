package io.minirpc.client;

import io.minirpc.Provider;
import io.minirpc.RpcException;
import io.minirpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a failed attempt of a call goes on to another provider, and how long one attempt
 * may take; records each outcome in the providers' health and the client's retry budget.
 *
 * <p>An attempt is retried on a provider not tried yet by this call, while attempts, deadline and
 * retry budget allow, when:
 *
 * <ul>
 *   <li>its request certainly ran on no server ({@link UnprocessedRequestException}: not sent, or
 *       refused unrun by a provider going away or too busy), whatever the method;
 *   <li>the method is {@link io.minirpc.Idempotent} and the attempt failed with UNAVAILABLE, or
 *       with DEADLINE_EXCEEDED at the end of its own attempt timeout.
 * </ul>
 */
final class RetryPolicy {

  private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);

  private final ProviderHealthTable health;
  private final RetryBudget retryBudget;
  private final int maxAttempts;
  private final long attemptTimeoutNanos;

  RetryPolicy(
      ProviderHealthTable health,
      RetryBudget retryBudget,
      int maxAttempts,
      long attemptTimeoutNanos) {
    this.health = health;
    this.retryBudget = retryBudget;
    this.maxAttempts = maxAttempts;
    this.attemptTimeoutNanos = attemptTimeoutNanos;
  }

  /** The timeout of one attempt of an idempotent method; 0 when an attempt may take the call's. */
  long attemptTimeoutNanos() {
    return attemptTimeoutNanos;
  }

  /** When an attempt starting now must end: its own timeout's end, or the call's deadline. */
  long attemptDeadline(BoundMethod method, long callDeadline) {
    if (attemptTimeoutNanos <= 0 || !method.descriptor.isIdempotent()) {
      return callDeadline;
    }
    long attemptDeadline = System.nanoTime() + attemptTimeoutNanos;
    return attemptDeadline - callDeadline < 0 ? attemptDeadline : callDeadline;
  }

  void succeeded(Provider provider) {
    health.of(provider).succeeded();
    retryBudget.succeeded();
  }

  /** Records a failed attempt in its provider's health: only a provider's own failures count. */
  void failed(Provider provider, RpcException failure) {
    Status.Code code = failure.code();
    if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
      health.of(provider).failed(failure, System.nanoTime());
    }
  }

  /** Records a failed attempt and decides whether the call goes on to another provider. */
  boolean mayRetry(
      BoundMethod method, RpcException failure, Provider provider, int attempt, long deadline) {
    failed(provider, failure);
    Status.Code code = failure.code();
    if (attempt >= maxAttempts || deadline - System.nanoTime() <= 0) {
      return false;
    }
    boolean retry;
    if (failure instanceof UnprocessedRequestException) {
      // Nothing ran, so any method may go elsewhere. A provider out of reach or going away: like
      // gRPC's transparent retries, this does not draw on the retry budget. A provider too busy to
      // take it: the budget decides, so that an overloaded cluster is not flooded with retries.
      retry = code != Status.Code.RESOURCE_EXHAUSTED || retryBudget.failedMayRetry();
    } else if (method.descriptor.isIdempotent()
        && (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED)) {
      retry = retryBudget.failedMayRetry();
    } else {
      retry = false;
    }
    if (retry) {
      log.debug(
          "Retrying {} on another provider, attempt {} of {}, after {} from {}",
          method.descriptor,
          attempt + 1,
          maxAttempts,
          failure.getMessage(),
          provider);
    }
    return retry;
  }
}
