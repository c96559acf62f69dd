package io.minirpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.ProviderState;
import io.minirpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The circuit breaker of one provider, driven by an explicit clock. */
class ProviderHealthTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final AtomicInteger changes = new AtomicInteger();
  private final ProviderHealth health =
      new ProviderHealth(3, SECOND, 4 * SECOND, changes::incrementAndGet);
  private final io.minirpc.RpcException failure =
      Status.UNAVAILABLE.withDescription("connection refused").asException();

  @Test
  void opensAfterConsecutiveFailuresAndLetsOneProbeThroughAfterTheCoolDown() {
    long now = 1_000 * SECOND;
    health.failed(failure, now);
    health.failed(failure, now);
    assertThat(health.isAvailable(now)).isTrue();
    health.failed(failure, now);
    assertThat(health.isAvailable(now)).isFalse();
    assertThat(health.describe(now))
        .isEqualTo(
            "circuit open for 1000 ms more after 3 consecutive failures (last: UNAVAILABLE:"
                + " connection refused)");
    assertThat(health.isAvailable(now + SECOND)).isTrue();
    health.picked(now + SECOND);
    // Half open: the probe is out, nobody else gets through until it returns.
    assertThat(health.isAvailable(now + SECOND)).isFalse();
    health.succeeded();
    assertThat(health.isAvailable(now + SECOND)).isTrue();
    assertThat(health.describe(now + SECOND)).isEqualTo("healthy");
  }

  @Test
  void failedProbeDoublesTheCoolDownUpToTheMaximum() {
    long now = 0;
    for (int i = 0; i < 3; i++) {
      health.failed(failure, now);
    }
    long openFor = SECOND;
    for (int probe = 0; probe < 4; probe++) {
      now += openFor;
      assertThat(health.isAvailable(now)).isTrue();
      health.picked(now);
      health.failed(failure, now);
      openFor = Math.min(4 * SECOND, openFor * 2);
      assertThat(health.isAvailable(now + openFor - 1)).isFalse();
      assertThat(health.availableFrom()).isEqualTo(now + openFor);
    }
  }

  @Test
  void successResetsTheCountOfConsecutiveFailures() {
    health.failed(failure, 0);
    health.failed(failure, 0);
    health.succeeded();
    health.failed(failure, 0);
    health.failed(failure, 0);
    assertThat(health.isAvailable(0)).isTrue();
  }

  @Test
  void providerGoingAwayIsUnavailableUntilItsConnectionCloses() {
    health.goingAway();
    assertThat(health.isAvailable(0)).isFalse();
    assertThat(health.describe(0)).isEqualTo("going away");
    // Failures while it shuts down say nothing of its health.
    for (int i = 0; i < 5; i++) {
      health.failed(failure, 0);
    }
    health.goneAway();
    assertThat(health.isAvailable(0)).isTrue();
    assertThat(changes.get()).isEqualTo(2);
  }

  @Test
  void stateFollowsTheCircuitAndTheGoingAwayNotice() {
    long now = 0;
    assertThat(health.state()).isEqualTo(ProviderState.AVAILABLE);
    health.failed(failure, now);
    health.failed(failure, now);
    // Below the threshold the circuit stays closed: calls still go there.
    assertThat(health.state()).isEqualTo(ProviderState.AVAILABLE);
    health.failed(failure, now);
    assertThat(health.state()).isEqualTo(ProviderState.CIRCUIT_OPEN);
    // Past the cool-down a probe may go, but the circuit is open until a call is picked as one.
    assertThat(health.isAvailable(now + SECOND)).isTrue();
    assertThat(health.state()).isEqualTo(ProviderState.CIRCUIT_OPEN);
    health.picked(now + SECOND);
    assertThat(health.state()).isEqualTo(ProviderState.CIRCUIT_HALF_OPEN);
    health.goingAway();
    assertThat(health.state()).isEqualTo(ProviderState.GOING_AWAY);
    health.goneAway();
    assertThat(health.state()).isEqualTo(ProviderState.CIRCUIT_HALF_OPEN);
    health.succeeded();
    assertThat(health.state()).isEqualTo(ProviderState.AVAILABLE);
  }
}
