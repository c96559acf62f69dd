package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link Deadline} under a fake ticker: time moves only when the test moves it. */
class DeadlineValueTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final Deadline.Ticker ticker = now::get;

  @Test
  void timeRemainingFollowsTheTickerAndExpiresAtTheDeadline() {
    Deadline deadline = Deadline.after(Duration.ofMillis(100), ticker);

    assertThat(deadline.timeRemaining()).isEqualTo(Duration.ofMillis(100));
    assertThat(deadline.isExpired()).isFalse();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(60));
    assertThat(deadline.timeRemaining(TimeUnit.MILLISECONDS)).isEqualTo(40);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(40));
    assertThat(deadline.isExpired()).isTrue();
    assertThat(deadline.timeRemaining()).isEqualTo(Duration.ZERO);
    now.addAndGet(1);
    assertThat(deadline.timeRemaining()).isNegative();
  }

  @Test
  void minimumIsTheEarlierAndOrderingFollowsTime() {
    Deadline early = Deadline.after(Duration.ofMillis(10), ticker);
    Deadline late = Deadline.after(Duration.ofMillis(20), ticker);

    assertThat(early.minimum(late)).isSameAs(early);
    assertThat(late.minimum(early)).isSameAs(early);
    assertThat(early.isBefore(late)).isTrue();
    assertThat(late.isBefore(early)).isFalse();
    assertThat(early.offset(Duration.ofMillis(10))).isEqualTo(late);
  }

  @Test
  void hugeDurationsSaturateInsteadOfOverflowing() {
    Deadline far = Deadline.after(Duration.ofDays(365L * 1_000_000), ticker);

    assertThat(far.isExpired()).isFalse();
    assertThat(far.timeRemaining()).isGreaterThan(Duration.ofDays(365L * 100));
  }

  @Test
  void deadlinesOfDifferentTickersCannotBeCompared() {
    Deadline fake = Deadline.after(Duration.ofMillis(10), ticker);
    Deadline real = Deadline.after(Duration.ofMillis(10));

    assertThatThrownBy(() -> fake.isBefore(real))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot compare deadlines of different tickers");
  }

  @Test
  void statusFromThrowableFindsTheRpcExceptionInsideWrappers() {
    RpcException denied = Status.PERMISSION_DENIED.withDescription("no").asException();

    assertThat(Status.fromThrowable(null)).isEqualTo(Status.OK);
    assertThat(Status.fromThrowable(new java.util.concurrent.CompletionException(denied)))
        .isEqualTo(denied.status());
    assertThat(Status.fromThrowable(new java.util.concurrent.CancellationException()).code())
        .isEqualTo(Status.Code.CANCELLED);
    assertThat(Status.fromThrowable(new IllegalStateException("x")).code())
        .isEqualTo(Status.Code.INTERNAL);
  }

  @Test
  void callOptionsCarryDeadlineAndAttachments() {
    Deadline deadline = Deadline.after(Duration.ofSeconds(1), ticker);
    CallOptions options =
        CallOptions.DEFAULT
            .withDeadline(deadline)
            .withAttachment("Tenant", "acme")
            .withAttachments(Attachments.EMPTY.with("trace", "t-1"));

    assertThat(options.deadline()).contains(deadline);
    assertThat(options.attachments().asMap()).containsEntry("tenant", "acme");
    assertThat(options.attachments().asMap()).containsEntry("trace", "t-1");
    assertThat(options.timeout()).isEmpty();
    assertThat(CallOptions.DEFAULT.attachments()).isSameAs(Attachments.EMPTY);
  }
}
