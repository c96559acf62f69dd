package io.minirpc.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.benchmark.RunPlan.Trial;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class RunPlanTest {

  private static final Path OUT = Path.of("target", "benchmark");

  @Test
  void smokeRunsGetUserAtThirtyTwoCallersOnEveryComparedBackend() {
    RunPlan plan = RunPlan.parse(new String[] {"--smoke"}, OUT);

    assertThat(plan.trials())
        .extracting(Trial::backend)
        .containsExactlyElementsOf(Backend.compared());
    assertThat(plan.trials())
        .allSatisfy(
            t -> {
              assertThat(t.operation()).isEqualTo(Operation.GET_USER);
              assertThat(t.callers()).isEqualTo(32);
            });
    assertThat(plan.trialTime(32)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void fullRunsEveryOperationAtThirtyTwoCallersAndTwoAtOneCaller() {
    RunPlan plan = RunPlan.parse(new String[0], OUT);

    // Six backends and the ceiling.
    assertThat(plan.trials()).hasSize(7 * 4 + 7 * 2);
    assertThat(plan.trials())
        .filteredOn(t -> t.callers() == 1)
        .extracting(Trial::operation)
        .containsOnly(Operation.GET_USER, Operation.LIST_USER);
    assertThat(plan.trialTime(32)).isEqualTo(Duration.ofSeconds(20));
    assertThat(plan.trialTime(1)).isEqualTo(Duration.ofSeconds(14));
    // With about 5 s per trial for its two JVMs, the full run takes about 16 minutes.
    assertThat(plan.totalTrialTime().plusSeconds(5L * plan.trials().size()))
        .isBetween(Duration.ofMinutes(15), Duration.ofMinutes(17));
  }

  @Test
  void filtersChooseBackendsOperationsAndCallers() {
    RunPlan plan =
        RunPlan.parse(
            new String[] {
              "--backends=grpc-direct,minirpc-kryo", "--ops=existUser", "--callers=1,4"
            },
            OUT);

    assertThat(plan.trials())
        .containsExactly(
            new Trial(Backend.GRPC_DIRECT, Operation.EXIST_USER, 1, CallMode.BLOCKING),
            new Trial(Backend.MINIRPC_KRYO, Operation.EXIST_USER, 1, CallMode.BLOCKING),
            new Trial(Backend.GRPC_DIRECT, Operation.EXIST_USER, 4, CallMode.BLOCKING),
            new Trial(Backend.MINIRPC_KRYO, Operation.EXIST_USER, 4, CallMode.BLOCKING));
  }

  @Test
  void defaultPlansCallInTheBlockingModeOnly() {
    assertThat(RunPlan.parse(new String[0], OUT).trials())
        .extracting(Trial::mode)
        .containsOnly(CallMode.BLOCKING);
    assertThat(RunPlan.parse(new String[] {"--smoke"}, OUT).trials())
        .extracting(Trial::mode)
        .containsOnly(CallMode.BLOCKING);
  }

  @Test
  void asyncModeAddsATrialForEveryBackendWithAnAsynchronousCaller() {
    RunPlan plan =
        RunPlan.parse(
            new String[] {
              "--backends=rest,minirpc-kryo,grpc-direct",
              "--ops=getUser",
              "--callers=32",
              "--mode=blocking,async"
            },
            OUT);

    assertThat(plan.trials())
        .containsExactly(
            new Trial(Backend.REST, Operation.GET_USER, 32, CallMode.BLOCKING),
            new Trial(Backend.MINIRPC_KRYO, Operation.GET_USER, 32, CallMode.BLOCKING),
            new Trial(Backend.GRPC_DIRECT, Operation.GET_USER, 32, CallMode.BLOCKING),
            new Trial(Backend.REST, Operation.GET_USER, 32, CallMode.ASYNC),
            new Trial(Backend.MINIRPC_KRYO, Operation.GET_USER, 32, CallMode.ASYNC),
            new Trial(Backend.GRPC_DIRECT, Operation.GET_USER, 32, CallMode.ASYNC));
    assertThat(plan.trials()).extracting(Trial::label).contains("minirpc-kryo async");
  }

  @Test
  void asyncTrialsRunOnAFewThreadsAndNeverMoreThanCallers() {
    RunPlan plan =
        RunPlan.parse(
            new String[] {
              "--backends=minirpc-kryo", "--ops=getUser", "--callers=1,32", "--mode=async"
            },
            OUT);
    RunPlan four = RunPlan.parse(new String[] {"--mode=blocking,async", "--async-threads=4"}, OUT);

    assertThat(plan.trials()).extracting(plan::threads).containsExactly(1, 2);
    assertThat(four.trials())
        .filteredOn(t -> t.callers() == 32)
        .extracting(four::threads)
        .containsOnly(32, 4);
  }

  @Test
  void bothModesOfTheFullPlanTakeAboutThirtyTwoMinutes() {
    RunPlan plan = RunPlan.parse(new String[] {"--mode=blocking,async"}, OUT);

    // Every compared backend, rest included, runs both modes.
    assertThat(plan.trials()).hasSize(2 * 42);
    assertThat(plan.totalTrialTime().plusSeconds(5L * plan.trials().size()))
        .isBetween(Duration.ofMinutes(31), Duration.ofMinutes(33));
  }

  @Test
  void unknownNamesAreRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> RunPlan.parse(new String[] {"--backends=thrift"}, OUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown backend thrift; the backends are [netty-ceiling, minirpc-kryo, minirpc-protobuf,"
                + " minirpc-json, rest, grpc-direct, grpc-default, minirpc-kryo-direct]");
    assertThatThrownBy(() -> RunPlan.parse(new String[] {"--ops=deleteUser"}, OUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown operation deleteUser; the operations are [existUser, createUser, getUser,"
                + " listUser]");
    assertThatThrownBy(() -> RunPlan.parse(new String[] {"--callers=0"}, OUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("callers must be at least 1: 0");
    assertThatThrownBy(() -> RunPlan.parse(new String[] {"--mode=reactive"}, OUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown mode reactive; the modes are [blocking, async]");
    assertThatThrownBy(() -> RunPlan.parse(new String[] {"--async-threads=0"}, OUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("async threads must be at least 1: 0");
    assertThatThrownBy(() -> RunPlan.parse(new String[] {"--fast"}, OUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown argument --fast");
  }

  @Test
  void readmeDescribesThePlansAsTheyAre() throws IOException {
    String readme =
        Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8)
            .replaceAll("\\s+", " ");
    RunPlan full = RunPlan.parse(new String[0], OUT);
    RunPlan smoke = RunPlan.parse(new String[] {"--smoke"}, OUT);
    RunPlan both = RunPlan.parse(new String[] {"--mode=blocking,async"}, OUT);

    assertThat(readme)
        .contains("JMH runs in `SampleTime` mode, " + full.iterationsInWords() + ", with")
        .contains(
            "`--smoke` runs `getUser` at 32 callers on every backend with "
                + smoke.iterationsInWords()
                + ", and "
                + smoke.wireWarmupCalls()
                + " warm-up and "
                + smoke.wireCountedCalls()
                + " counted calls")
        .contains(
            "one caller makes "
                + full.wireWarmupCalls()
                + " warm-up and then "
                + String.format(Locale.ROOT, "%,d", full.wireCountedCalls())
                + " counted calls")
        .contains("the " + full.trials().size() + " trials fit in about 16 minutes")
        .contains("(both modes: " + both.trials().size() + " trials");
    assertThat(full.iterationsInWords())
        .isEqualTo("8 warm-up iterations of 2 s (5 at 1 caller) and 2 measured iterations of 2 s");
    assertThat(smoke.iterationsInWords())
        .isEqualTo("1 warm-up iteration of 2 s and 2 measured iterations of 1 s");
  }
}
