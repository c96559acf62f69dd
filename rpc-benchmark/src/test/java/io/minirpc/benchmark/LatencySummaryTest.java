package io.minirpc.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

  @Test
  void summaryOfNanosecondsIsInMicroseconds() {
    Histogram nanos = new Histogram(60_000_000_000L, 3);
    for (int i = 1; i <= 1000; i++) {
      nanos.recordValue(i * 1_000L);
    }

    LatencySummary summary = LatencySummary.of(nanos);

    assertThat(summary.calls()).isEqualTo(1000);
    assertThat(summary.meanMicros()).isCloseTo(500.5, within(1.0));
    assertThat(summary.p50Micros()).isCloseTo(500, within(1.0));
    assertThat(summary.p99Micros()).isCloseTo(990, within(1.0));
    assertThat(summary.p999Micros()).isCloseTo(999, within(1.0));
    assertThat(summary.maxMicros()).isCloseTo(1000, within(1.0));
  }

  @Test
  void textReadsBackAsTheSameSummary() {
    LatencySummary summary =
        new LatencySummary(40_489, 1307.4, 675.3, 10_821.6, 59_932.7, 77_594.6);

    assertThat(LatencySummary.parse(summary.toText())).isEqualTo(summary);
  }

  @Test
  void missingFigureIsNamed() {
    assertThatThrownBy(() -> LatencySummary.parse("calls=3\nmeanMicros=1\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no p50Micros in the latency summary");
  }
}
