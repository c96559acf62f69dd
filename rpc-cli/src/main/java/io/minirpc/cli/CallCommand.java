package io.minirpc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.minirpc.ServiceName;
import io.minirpc.client.GenericClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code minirpc call SERVICE/METHOD [ARGS]}: a generic call ({@link GenericClient}) with JSON
 * arguments, its result printed as JSON.
 */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    versionProvider = MinirpcCli.Version.class,
    description = {
      "Calls a method by name with JSON arguments and prints its result as JSON (null for a void"
          + " method).",
      "Arguments that are not a JSON array fail with INVALID_ARGUMENT (exit code 15), nothing sent."
    })
final class CallCommand implements Runnable {

  private final InputStream stdin;

  @Spec private CommandSpec spec;

  @Mixin private ConnectionOptions connection;

  @Mixin private ServiceVersionOption version;

  @Parameters(
      index = "0",
      paramLabel = "SERVICE/METHOD",
      description = "The service's key (name, or name:version) and the method's name.")
  private String target;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "ARGS",
      defaultValue = "[]",
      description =
          "The arguments as a JSON array, one element per parameter (default: []); @FILE reads"
              + " them from a file, - from standard input.")
  private String arguments;

  CallCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public void run() {
    int slash = target.lastIndexOf('/');
    if (slash <= 0 || slash == target.length() - 1) {
      throw new ParameterException(
          spec.commandLine(),
          "expected SERVICE/METHOD, such as example.UserService/getUser, got '" + target + "'");
    }
    ServiceName service = version.serviceName(target.substring(0, slash));
    String method = target.substring(slash + 1);
    String json = readArguments();
    JsonNode result;
    try (Connection server = connection.open(service)) {
      result =
          GenericClient.of(server.client()).invoke(service.key(), method, json, server.options());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(JsonOutput.pretty(result));
    out.flush();
  }

  private String readArguments() {
    try {
      if (arguments.equals("-")) {
        return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (arguments.startsWith("@")) {
        return Files.readString(Path.of(arguments.substring(1)), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the arguments from " + arguments + ": " + e, e);
    }
    return arguments;
  }
}
