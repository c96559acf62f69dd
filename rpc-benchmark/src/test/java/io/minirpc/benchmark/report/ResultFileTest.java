package io.minirpc.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultFileTest {

  private static final Measurement ASYNC =
      new Measurement(
          "minirpc-kryo",
          "async",
          "getUser",
          32,
          20_219.5,
          24_475.3,
          1_307.4,
          675.3,
          10_821.6,
          59_932.7,
          40_489,
          Double.NaN,
          1_946.4,
          1_210.7,
          null);

  @Test
  void measurementsReadBackAsWritten() {
    List<Measurement> rows =
        List.of(
            ASYNC,
            Measurement.failed(
                "grpc-direct", "blocking", "getUser", 32, 262, "IllegalStateException:\tdown\n"));

    List<Measurement> read = ResultFile.parse(ResultFile.format(rows));

    assertThat(read.get(0)).isEqualTo(ASYNC);
    assertThat(read.get(1).failure()).isEqualTo("IllegalStateException: down ");
    assertThat(read.get(1).succeeded()).isFalse();
    assertThat(read.get(1).callsPerSecond()).isNaN();
    assertThat(read.get(1).wireBytes()).isEqualTo(262);
  }

  @Test
  void columnsAreFoundByTheirHeaderAndMissingFiguresAreNaN() {
    String text =
        "operation\tcallers\textra\tbackend\tcallsPerSecond\tp99Micros\n"
            + "listUser\t1\tx\trest\t3508\t21288.5\n";

    Measurement m = ResultFile.parse(text).get(0);

    assertThat(m.label()).isEqualTo("rest");
    assertThat(m.mode()).isEqualTo("blocking");
    assertThat(m.operation()).isEqualTo("listUser");
    assertThat(m.callers()).isEqualTo(1);
    assertThat(m.callsPerSecond()).isEqualTo(3508);
    assertThat(m.p99Micros()).isEqualTo(21288.5);
    assertThat(m.allocatedBytes()).isNaN();
    // A file of a build from before the server's allocation was measured.
    assertThat(m.serverAllocatedBytes()).isNaN();
    assertThat(m.succeeded()).isTrue();
  }

  @Test
  void brokenLinesAreRefusedWithTheirNumber() {
    assertThatThrownBy(() -> ResultFile.parse("backend\toperation\ncalls\tgetUser\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no callers column in [backend, operation]");
    assertThatThrownBy(
            () ->
                ResultFile.parse(
                    "backend\toperation\tcallers\tcallsPerSecond\n" + "rest\tgetUser\t32\tfast\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("line 2: For input string: \"fast\"");
  }
}
