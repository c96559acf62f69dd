package io.minirpc.example.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scale-out across hosts: {@code scripts/scaleout-netns.sh} runs a three-node ZooKeeper ensemble,
 * three providers and a caller of the shaded jar in network namespaces of their own, kills the
 * ZooKeeper leader and then a provider with SIGKILL under steady load, and prints its figures; this
 * runs it (maven-failsafe, once the jar is built), copies its output to the test's output, and
 * checks the figures.
 *
 * <p>Needs root and iproute2's {@code ip} ({@code .ci/run} installs it when it is missing). Without
 * them the test fails, so that CI can never pass it by not running it; {@code
 * -Dminirpc.netns.skip=true} skips it.
 */
class ScaleOutIT {

  /** The script ends itself within 90 s; this only keeps a hung script from hanging the build. */
  private static final long DEADLINE_SECONDS = 150;

  @Test
  void noIdempotentCallFailsWhenAZooKeeperNodeAndAProviderDieAndTheSurvivorsShareTheCalls()
      throws Exception {
    assumeFalse(
        Boolean.parseBoolean(System.getProperty("minirpc.netns.skip", "false")),
        "-Dminirpc.netns.skip=true: the scale-out test across network namespaces is not run");
    List<String> output = runScript();
    Map<String, String> figures = figures(output);

    assertThat(figures.get("failed")).as("failed calls").isEqualTo("0");
    assertThat(number(figures, "calls")).as("calls").isGreaterThan(1000);
    assertThat(output).as("the caller's verdict").contains("VERDICT PASS");

    List<String> providers = new ArrayList<>();
    figures.keySet().stream()
        .filter(key -> key.startsWith("provider.p"))
        .forEach(key -> providers.add(key.substring("provider.".length())));
    assertThat(providers).as("providers that answered").hasSize(3);
    String killed = figures.get("provider-kill.name");
    assertThat(providers).contains(killed);
    for (String provider : providers) {
      assertThat(number(figures, "answers.before-kills." + provider))
          .as("answers of %s before the kills", provider)
          .isPositive();
      assertThat(number(figures, "answers.after-zookeeper-kill." + provider))
          .as("answers of %s after the ZooKeeper leader's kill", provider)
          .isPositive();
      if (!provider.equals(killed)) {
        assertThat(number(figures, "answers.after-provider-kill." + provider))
            .as("answers of the survivor %s after %s's kill", provider, killed)
            .isPositive();
      }
    }
    assertThat(number(figures, "provider-kill.answers_after_detection"))
        .as("answers of the killed provider after the caller saw it fail")
        .isZero();
    assertThat(number(figures, "provider-kill.attempts_after_forgotten"))
        .as("attempts sent to the killed provider after its node vanished")
        .isZero();
    // Discovery after the loss of the leader: the killed provider's node vanished, seen by watch.
    assertThat(number(figures, "provider-kill.node_vanished_ms")).isPositive();
    assertThat(number(figures, "provider-kill.detected_ms")).isNotNegative();
    assertThat(number(figures, "zookeeper-kill.provider_list_changes")).isZero();
    assertThat(figures.get("zookeeper-kill.caller_session_lost")).isEqualTo("false");
    assertThat(figures.get("zookeeper-kill.new_leader"))
        .isNotEqualTo(figures.get("zookeeper-kill.killed"));
    assertThat(number(figures, "host_namespace_links_added")).isZero();
  }

  /** Runs the script, copying its output to this test's as it comes, and returns the output. */
  private static List<String> runScript() throws IOException, InterruptedException {
    Path script = Path.of(property("minirpc.scaleout.script"));
    Path work = Path.of(property("minirpc.scaleout.work"));
    ProcessBuilder builder =
        new ProcessBuilder("bash", script.toString(), work.toString())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().put("MINIRPC_EXAMPLE_JAR", property("minirpc.example.jar"));
    builder
        .environment()
        .put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process process = builder.start();
    List<String> output = Collections.synchronizedList(new ArrayList<>());
    Thread copier =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  System.out.println(line);
                  output.add(line);
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "scaleout-output");
    copier.setDaemon(true);
    copier.start();
    if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
      // SIGTERM: the script's trap kills its processes and deletes its namespaces.
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
      }
      fail("scaleout-netns.sh took over %d s; its output:%n%s", DEADLINE_SECONDS, text(output));
    }
    copier.join(TimeUnit.SECONDS.toMillis(10));
    int exit = process.exitValue();
    if (exit == 3) {
      fail(
          "scaleout-netns.sh cannot make network namespaces on this machine: it needs root and"
              + " iproute2's ip (apt-get install iproute2, which .ci/run does when ip is missing);"
              + " to skip this test, run with -Dminirpc.netns.skip=true. Its output:%n%s",
          text(output));
    }
    if (exit != 0) {
      fail(
          "scaleout-netns.sh exited %d%s; its output (logs in %s):%n%s",
          exit, exit == 124 ? " (over its time limit)" : "", work, text(output));
    }
    return List.copyOf(output);
  }

  /** The {@code FIGURE <key> <value>} lines, by key. */
  private static Map<String, String> figures(List<String> output) {
    Map<String, String> figures = new LinkedHashMap<>();
    for (String line : output) {
      String[] words = line.split(" ");
      if (words.length == 3 && words[0].equals("FIGURE")) {
        figures.put(words[1], words[2]);
      }
    }
    return figures;
  }

  private static long number(Map<String, String> figures, String key) {
    String value = figures.get(key);
    assertThat(value).as("figure %s", key).isNotNull().matches("-?[0-9]+");
    return Long.parseLong(value);
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    assertThat(value).as("system property %s (set by the pom)", name).isNotNull();
    return value;
  }

  private static String text(List<String> output) {
    synchronized (output) {
      return String.join("\n", output);
    }
  }
}
