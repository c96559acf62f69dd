package io.minirpc.client;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limits retries when many calls fail, so that retries do not multiply the load on a cluster that
 * is already failing: gRPC's retry throttling. Each failed attempt takes a token, each successful
 * call gives back a fraction of one; retries are allowed while more than half the tokens are left.
 */
final class RetryBudget {

  private final int maxMilliTokens;
  private final int milliTokensPerSuccess;
  private final AtomicInteger milliTokens;

  RetryBudget(int maxTokens, double tokensPerSuccess) {
    this.maxMilliTokens = maxTokens * 1000;
    this.milliTokensPerSuccess = (int) Math.round(tokensPerSuccess * 1000);
    this.milliTokens = new AtomicInteger(maxMilliTokens);
  }

  void succeeded() {
    // Full almost always: reading first keeps the common case free of contended writes.
    if (milliTokens.get() < maxMilliTokens) {
      milliTokens.updateAndGet(t -> Math.min(maxMilliTokens, t + milliTokensPerSuccess));
    }
  }

  /** Records a failed attempt and says whether it may be retried. */
  boolean failedMayRetry() {
    return milliTokens.updateAndGet(t -> Math.max(0, t - 1000)) > maxMilliTokens / 2;
  }
}
