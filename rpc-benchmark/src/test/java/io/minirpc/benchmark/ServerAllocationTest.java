package io.minirpc.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.options.TimeValue;

class ServerAllocationTest {

  /** Only keeps a broken meter from hanging the build. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final IterationParams WARMUP =
      new IterationParams(IterationType.WARMUP, 1, TimeValue.seconds(1), 1);
  private static final IterationParams MEASUREMENT =
      new IterationParams(IterationType.MEASUREMENT, 1, TimeValue.seconds(1), 1);

  @Test
  void textReadsBackAsTheSameFigures() {
    ServerAllocation allocation = new ServerAllocation(123_456_789_012L, 98_765);

    assertThat(ServerAllocation.parse(allocation.toText())).isEqualTo(allocation);
    assertThat(allocation.bytesPerCall()).isEqualTo(123_456_789_012.0 / 98_765);
    assertThat(new ServerAllocation(0, 0).bytesPerCall()).isNaN();
  }

  @Test
  void missingOrBrokenFigureIsNamed() {
    assertThatThrownBy(() -> ServerAllocation.parse("bytes=3\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no calls in the server's allocation");
    assertThatThrownBy(() -> ServerAllocation.parse("bytes=3.5\ncalls=2\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytes is not a whole number in the server's allocation: 3.5");
  }

  @Test
  void meterChargesTheMeasuredIterationsOnceEveryCallerHasEnded() throws Exception {
    try (ServerProcess server = ServerProcess.start(Backend.MINIRPC_KRYO, null);
        UserCalls calls = Backend.MINIRPC_KRYO.connect("127.0.0.1", server.port())) {
      ServerAllocationMeter meter = new ServerAllocationMeter(server, 2);

      meter.iterationStarts(WARMUP);
      makeCalls(calls, 100);
      meter.callerEnds(50);
      meter.callerEnds(50);
      assertThat(meter.total(WAIT))
          .as("warm-up is not counted")
          .isEqualTo(new ServerAllocation(0, 0));

      meter.iterationStarts(MEASUREMENT);
      makeCalls(calls, 300);
      meter.callerEnds(100);
      // The trial's teardown may come before the other thread's iteration teardown.
      CompletableFuture<ServerAllocation> total =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return meter.total(WAIT);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThat(total).as("one of two threads has not ended the iteration").isNotDone();
      meter.callerEnds(200);
      ServerAllocation first = total.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(first.calls()).isEqualTo(300);
      // At least the decoded request and the encoded user of each call.
      assertThat(first.bytes()).isGreaterThan(300 * 100L);

      meter.iterationStarts(MEASUREMENT);
      makeCalls(calls, 100);
      meter.callerEnds(60);
      meter.callerEnds(40);
      assertThat(meter.total(WAIT).calls()).isEqualTo(400);
      assertThat(meter.total(WAIT).bytes()).isGreaterThan(first.bytes());
    }
  }

  @Test
  void meterNamesTheThreadsThatDidNotEndTheIteration() throws Exception {
    try (ServerProcess server = ServerProcess.start(Backend.MINIRPC_KRYO, null)) {
      ServerAllocationMeter meter = new ServerAllocationMeter(server, 3);
      meter.iterationStarts(MEASUREMENT);
      meter.callerEnds(10);

      assertThatThrownBy(() -> meter.total(Duration.ZERO))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("2 of 3 threads did not end their iteration within 0 s");
    }
  }

  @Test
  void meterNeedsACaller() {
    assertThatThrownBy(() -> new ServerAllocationMeter(null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threads must be at least 1: 0");
  }

  private static void makeCalls(UserCalls calls, int n) {
    for (int i = 0; i < n; i++) {
      calls.getUser(i);
    }
  }
}
