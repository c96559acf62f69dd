package io.minirpc.cli;

import io.minirpc.ServiceName;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code minirpc health [SERVICE]}: SERVING or NOT_SERVING, also as the exit code. */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    versionProvider = MinirpcCli.Version.class,
    description = {
      "Prints the health of the whole server, or of one service: SERVING (exit code 0) or"
          + " NOT_SERVING (exit code 3).",
      "With --zookeeper, SERVICE is required and a provider of it is asked."
    })
final class HealthCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private ConnectionOptions connection;

  @Mixin private ServiceVersionOption version;

  @Parameters(
      paramLabel = "SERVICE",
      arity = "0..1",
      description = "The service's key: name, or name:version; the whole server when not given.")
  private String service;

  @Override
  public Integer call() {
    ServiceName name = service == null ? null : version.serviceName(service);
    ServingStatus status;
    try (Connection server = connection.open(name)) {
      status = server.stub(Health.class).check(name == null ? Health.SERVER : name.key());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(status);
    out.flush();
    return status == ServingStatus.SERVING ? ExitCodes.OK : ExitCodes.NOT_SERVING;
  }
}
