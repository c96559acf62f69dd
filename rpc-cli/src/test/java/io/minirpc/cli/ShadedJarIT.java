package io.minirpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.server.RpcServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar, run as a user runs it ({@code java -jar target/minirpc-cli.jar ...}) in a JVM of
 * its own, against a real server: run by maven-failsafe in the integration-test phase, once the jar
 * is built.
 */
class ShadedJarIT {

  private static RpcServer server;
  private static String address;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .port(0)
            .addService(new AccountsService())
            .build()
            .start();
    address = "127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theJarCallsAServerAndPrintsOnlyTheResult() throws Exception {
    assertThat(run("call", "test.Accounts/account", "[7]", "-a", address, "-t", "30s"))
        .isEqualTo(new CliRun(0, "{\n  \"id\" : 7,\n  \"name\" : \"account 7\"\n}\n", ""));
  }

  @Test
  void theJarExitsWithTheCodeOfTheStatus() throws Exception {
    CliRun run = run("call", "test.Accounts/subtract", "[1, 2]", "-a", address, "-t", "30s");

    assertThat(run.exitCode()).isEqualTo(14);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("ERROR NOT_FOUND: ").hasLineCount(1);
  }

  @Test
  void theJarKnowsItsVersion() throws Exception {
    assertThat(run("--version")).isEqualTo(new CliRun(0, "minirpc 0.1.0-SNAPSHOT\n", ""));
  }

  private static CliRun run(String... args) throws IOException, InterruptedException {
    String jar = System.getProperty("minirpc.cli.jar");
    assertThat(jar).as("system property minirpc.cli.jar (set by the pom)").isNotNull();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar);
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process process =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("java -jar minirpc-cli.jar did not end within 60 s: " + command);
    }
    return new CliRun(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
