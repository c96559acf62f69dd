package io.minirpc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.Status;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** What {@code minirpc} answers to a command line it cannot run, and its exit codes; no server. */
class CliUsageTest {

  @Test
  void everyStatusCodeHasItsOwnExitCodeTenPlusItsWireNumber() {
    Set<Integer> codes = new HashSet<>();
    for (Status.Code code : Status.Code.values()) {
      if (code != Status.Code.OK) {
        assertThat(ExitCodes.of(code)).isEqualTo(10 + code.value());
        codes.add(ExitCodes.of(code));
      }
    }
    assertThat(ExitCodes.of(Status.Code.OK)).isZero();
    assertThat(codes)
        .hasSize(Status.Code.values().length - 1)
        .doesNotContain(
            ExitCodes.LOCAL_FAILURE, ExitCodes.USAGE, ExitCodes.NOT_SERVING, ExitCodes.OK);
    assertThat(ExitCodes.of(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(12);
    assertThat(ExitCodes.of(Status.Code.UNAUTHENTICATED)).isEqualTo(19);
  }

  @Test
  void helpListsTheCommandsAndExitCodes() {
    CliRun run = CliRun.of("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("list", "describe", "call", "health", "providers", "Exit codes:", "10+n");
  }

  @Test
  void aCommandWithoutAddressOrZooKeeperIsAUsageError() {
    CliRun run = CliRun.of("list");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "Error: Missing required argument (specify one of these):"
                + " (-a=HOST:PORT | -z=CONNECT)");
  }

  @Test
  void noCommandIsAUsageError() {
    CliRun run = CliRun.of();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("give a command: list, describe, call, health or providers\n");
  }

  @Test
  void malformedOptionsAreUsageErrorsAndNothingIsCalled() {
    assertThat(CliRun.of("call", "test.Accounts", "[]", "-a", "127.0.0.1:7070").err())
        .startsWith(
            "expected SERVICE/METHOD, such as example.UserService/getUser, got 'test.Accounts'");
    assertThat(CliRun.of("list", "-a", "nowhere").err())
        .startsWith("Invalid value for option '--address': expected host:port, got 'nowhere'");
    assertThat(CliRun.of("list", "-a", "127.0.0.1:7070", "-t", "soon").err())
        .startsWith(
            "Invalid value for option '--timeout': 'soon' is not a duration: write it as 500ms, 2s,"
                + " 1m, 1h or PT1.5S");
    assertThat(CliRun.of("list", "-a", "127.0.0.1:7070", "--cert", "client.pem").err())
        .startsWith("give --cert and --key together, for a client certificate");
    assertThat(CliRun.of("list", "-a", "127.0.0.1:7070", "--hmac-key-id", "billing").err())
        .startsWith(
            "give --hmac-key-id with --hmac-secret or --hmac-secret-file, to sign calls with HMAC");
    assertThat(CliRun.of("list", "-a", "127.0.0.1:7070", "-H", "Bad Key=1").err())
        .startsWith("invalid attachment -H Bad Key: ");
    assertThat(
            CliRun.of("describe", "test.Accounts:1", "--service-version", "2", "-a", "h:1").err())
        .startsWith(
            "'test.Accounts:1' has a version already: give it there or in --service-version");
    assertThat(CliRun.of("health", "-z", "127.0.0.1:2181").err())
        .startsWith("give --address: with --zookeeper, this command needs a SERVICE");
    for (String[] args :
        new String[][] {
          {"call", "test.Accounts", "[]", "-a", "127.0.0.1:7070"},
          {"list", "-a", "nowhere"},
          {"list", "-a", "127.0.0.1:7070", "--cert", "client.pem"},
          {"health", "-z", "127.0.0.1:2181"},
          {"providers", "test.Accounts"}
        }) {
      assertThat(CliRun.of(args).exitCode()).as(Arrays.toString(args)).isEqualTo(2);
    }
  }

  @Test
  void aMissingArgumentsFileIsALocalFailure() {
    CliRun run = CliRun.of("call", "test.Accounts/add", "@/no/such/file.json", "-a", "h:1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "ERROR: cannot read the arguments from @/no/such/file.json:"
                + " java.nio.file.NoSuchFileException: /no/such/file.json\n");
  }

  @Test
  void durationsAreReadAsPeopleWriteThem() {
    DurationConverter converter = new DurationConverter();

    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(converter.convert("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(converter.convert("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> converter.convert("0s"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'0s' is not a positive duration");
  }
}
