package io.minirpc.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * One run of {@code minirpc} in this JVM, as {@code main} runs it, with its output captured.
 *
 * @param exitCode what {@code main} would exit with
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    return withStdin("", args);
  }

  static CliRun withStdin(String stdin, String... args) {
    CommandLine cli =
        MinirpcCli.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }
}
