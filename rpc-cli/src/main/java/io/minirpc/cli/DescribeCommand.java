package io.minirpc.cli;

import io.minirpc.ServiceName;
import io.minirpc.reflection.Reflection;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code minirpc describe SERVICE}: one service's methods and types, from reflection. */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    versionProvider = MinirpcCli.Version.class,
    description =
        "Prints what the server's reflection service says of one service: its methods, their"
            + " parameter and result types and default timeouts, as JSON.")
final class DescribeCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Mixin private ConnectionOptions connection;

  @Mixin private ServiceVersionOption version;

  @Parameters(paramLabel = "SERVICE", description = "The service's key: name, or name:version.")
  private String service;

  @Override
  public void run() {
    ServiceName name = version.serviceName(service);
    String description;
    try (Connection server = connection.open(name)) {
      description = server.stub(Reflection.class).describe(name.key());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(JsonOutput.pretty(JsonOutput.parse(description)));
    out.flush();
  }
}
