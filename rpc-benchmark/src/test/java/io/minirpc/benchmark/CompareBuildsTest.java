package io.minirpc.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.benchmark.RunPlan.Trial;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CompareBuildsTest {

  private static final Path OUT = Path.of("target", "compare");

  @Test
  void eachChildRunsOneTrialWithTheArgumentsThatApplyToAll() {
    CompareBuilds.Arguments arguments =
        CompareBuilds.Arguments.parse(
            new String[] {
              "--base=a.jar",
              "--smoke",
              "--candidate=b.jar",
              "--backends=minirpc-kryo,grpc-direct",
              "--ops=getUser",
              "--mode=blocking,async",
              "--async-threads=4",
              "--out=cmp"
            },
            OUT);

    assertThat(arguments.base()).isEqualTo(Path.of("a.jar"));
    assertThat(arguments.candidate()).isEqualTo(Path.of("b.jar"));
    assertThat(arguments.out()).isEqualTo(Path.of("cmp"));
    assertThat(arguments.plan().trials()).hasSize(4);
    Trial trial = arguments.plan().trials().get(3);
    assertThat(trial.label()).isEqualTo("grpc-direct async");
    assertThat(arguments.childArguments(trial, Path.of("cmp", "04", "A")))
        .containsExactly(
            "--backends=grpc-direct",
            "--ops=getUser",
            "--callers=32",
            "--mode=async",
            "--no-wire",
            "--smoke",
            "--async-threads=4",
            "--out=" + Path.of("cmp", "04", "A"));
  }

  @Test
  void bothBuildsAreNeeded() {
    assertThatThrownBy(() -> CompareBuilds.Arguments.parse(new String[] {"--base=a.jar"}, OUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("both --base=JAR and --candidate=JAR are needed");
  }
}
