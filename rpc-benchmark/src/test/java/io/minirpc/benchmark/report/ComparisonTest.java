package io.minirpc.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.benchmark.report.Comparison.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {

  private static Measurement row(
      String mode, double callsPerSecond, double p99, double alloc, double serverAlloc) {
    return new Measurement(
        "minirpc-kryo",
        mode,
        "getUser",
        32,
        callsPerSecond,
        callsPerSecond,
        800,
        700,
        p99,
        4_000,
        90_000,
        273,
        alloc,
        serverAlloc,
        null);
  }

  @Test
  void everyTrialShowsBothFiguresAndTheirRatio() {
    Comparison comparison =
        new Comparison(
            List.of(
                new Pair(
                    row("blocking", 40_000, 2_000, 1_600, 1_200),
                    row("blocking", 50_000, 1_500, 800, 1_500)),
                new Pair(
                    row("async", 20_000, 10_000, 2_000, 1_300),
                    Measurement.failed("minirpc-kryo", "async", "getUser", 32, 273, "down"))));

    assertThat(comparison.toMarkdown())
        .contains(
            "| minirpc-kryo | getUser | 32 | 40,000 | 50,000 | 1.25 | 2,000 | 1,500 | 0.75 | 1,600"
                + " | 800 | 0.50 | 1,200 | 1,500 | 1.25 |")
        .contains(
            "| minirpc-kryo async | getUser | 32 | 20,000 | failed | - | 10,000 | - | - | 2,000 | -"
                + " | - | 1,300 | - | - |");
    assertThat(comparison.toText())
        .contains("calls/s A", "B/A", "server alloc B/call A", "minirpc-kryo async");
  }

  @Test
  void ratioOfNothingIsNone() {
    assertThat(Comparison.ratio(0, 5)).isNaN();
    assertThat(Comparison.ratio(Double.NaN, 5)).isNaN();
    assertThat(Comparison.ratio(4, 5)).isEqualTo(1.25);
  }
}
