package io.minirpc.cli;

import java.io.InputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command-line client {@code minirpc}: lists, describes, calls and health-checks the services
 * of a server, at an address or found through ZooKeeper, and lists a service's providers in
 * ZooKeeper. Answers go to stdout as JSON or text, failures to stderr as one line, {@code ERROR
 * <STATUS CODE>: <description>}, with an exit code per status code (see {@link ExitCodes}).
 *
 * <pre>
 * java -jar rpc-cli/target/minirpc-cli.jar list --address 127.0.0.1:7070
 * java -jar rpc-cli/target/minirpc-cli.jar call example.UserService/getUser '[42]' -a 127.0.0.1:7070
 * </pre>
 *
 * docs/CLI.md describes every command, option and exit code.
 */
@Command(
    name = "minirpc",
    mixinStandardHelpOptions = true,
    versionProvider = MinirpcCli.Version.class,
    description = "Lists, describes, calls and health-checks the services of a minirpc server.",
    subcommands = {
      ListCommand.class,
      DescribeCommand.class,
      CallCommand.class,
      HealthCommand.class,
      ProvidersCommand.class,
      HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done; health: SERVING",
      "1:a local failure (a file that cannot be read, a bad certificate)",
      "2:a usage error",
      "3:health: NOT_SERVING",
      "10+n:the call failed with the status of wire number n: 12 DEADLINE_EXCEEDED,"
          + " 13 UNAVAILABLE, 14 NOT_FOUND, 15 INVALID_ARGUMENT, 16 SERIALIZATION,"
          + " 17 APPLICATION_ERROR, 19 UNAUTHENTICATED (docs/CLI.md)"
    })
public final class MinirpcCli implements Runnable {

  @Spec private CommandSpec spec;

  private MinirpcCli() {}

  /** Runs the command the arguments name and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine(System.in).execute(args));
  }

  /**
   * The {@code minirpc} command, whose {@code call -} reads its arguments from this stream; its
   * output and errors go to {@link CommandLine#getOut()} and {@link CommandLine#getErr()}, which
   * tests may set.
   */
  public static CommandLine commandLine(InputStream stdin) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == CallCommand.class) {
              return type.cast(new CallCommand(stdin));
            }
            if (type == MinirpcCli.class) {
              return type.cast(new MinirpcCli());
            }
            return defaults.create(type);
          }
        };
    CommandLine commandLine = new CommandLine(MinirpcCli.class, factory);
    // "@file" is the call command's own argument syntax, not picocli's argument files.
    commandLine.setExpandAtFiles(false);
    commandLine.setExecutionExceptionHandler(new ExecutionErrors());
    return commandLine;
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "give a command: list, describe, call, health or providers");
  }

  /** The version of the jar, from its manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = MinirpcCli.class.getPackage().getImplementationVersion();
      return new String[] {"minirpc " + (version != null ? version : "(development build)")};
    }
  }
}
