package io.minirpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Retry throttling: retries stop when failures pile up and resume as calls succeed. */
class RetryBudgetTest {

  @Test
  void retriesStopAfterHalfTheTokensAreSpentAndResumeWithSuccesses() {
    RetryBudget budget = new RetryBudget(10, 0.5);
    for (int i = 0; i < 4; i++) {
      assertThat(budget.failedMayRetry()).as("failure %d", i + 1).isTrue();
    }
    // 10 - 5 = 5 tokens: not more than half left.
    assertThat(budget.failedMayRetry()).isFalse();
    assertThat(budget.failedMayRetry()).isFalse();
    // Back from 4 tokens to 6: 4 successes at half a token each.
    for (int i = 0; i < 4; i++) {
      budget.succeeded();
    }
    assertThat(budget.failedMayRetry()).isFalse();
    for (int i = 0; i < 4; i++) {
      budget.succeeded();
    }
    assertThat(budget.failedMayRetry()).isTrue();
  }

  @Test
  void successesNeverFillBeyondTheMaximum() {
    RetryBudget budget = new RetryBudget(10, 0.5);
    for (int i = 0; i < 100; i++) {
      budget.succeeded();
    }
    for (int i = 0; i < 4; i++) {
      assertThat(budget.failedMayRetry()).isTrue();
    }
    assertThat(budget.failedMayRetry()).isFalse();
  }
}
