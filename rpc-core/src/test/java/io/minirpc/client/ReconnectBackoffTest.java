package io.minirpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

  private static final long MS = 1_000_000L;

  @Test
  void connectMayBeTriedAtOnceUntilOneFails() {
    ReconnectBackoff backoff = new ReconnectBackoff(100 * MS, 1_000 * MS);

    assertThat(backoff.remainingNanos(0)).isLessThanOrEqualTo(0);
    assertThat(backoff.lastFailure()).isNull();
  }

  @Test
  void delayDoublesWithEachFailureInARowWithJitterThatOnlyShortensIt() {
    ReconnectBackoff backoff = new ReconnectBackoff(100 * MS, 1_000 * MS);
    long[] nominal = {100, 200, 400, 800, 1_000, 1_000};
    for (long n : nominal) {
      backoff.failed("Connection refused", 0);

      assertThat(backoff.remainingNanos(0)).isBetween(n * MS * 8 / 10, n * MS);
    }
    assertThat(backoff.lastFailure()).isEqualTo("Connection refused");
  }

  @Test
  void waitEndsAtItsTime() {
    ReconnectBackoff backoff = new ReconnectBackoff(100 * MS, 1_000 * MS);
    backoff.failed("Connection refused", 0);

    assertThat(backoff.remainingNanos(100 * MS)).isLessThanOrEqualTo(0);
  }

  @Test
  void successfulConnectStartsTheDelaysOver() {
    ReconnectBackoff backoff = new ReconnectBackoff(100 * MS, 1_000 * MS);
    for (int i = 0; i < 5; i++) {
      backoff.failed("Connection refused", 0);
    }
    backoff.connected();

    assertThat(backoff.remainingNanos(0)).isLessThanOrEqualTo(0);
    backoff.failed("Connection refused", 0);
    assertThat(backoff.remainingNanos(0)).isBetween(80 * MS, 100 * MS);
  }

  @Test
  void maximumBelowTheInitialDelayCapsTheFirstDelayToo() {
    ReconnectBackoff backoff = new ReconnectBackoff(100 * MS, 50 * MS);
    backoff.failed("Connection refused", 0);

    assertThat(backoff.remainingNanos(0)).isBetween(40 * MS, 50 * MS);
  }
}
