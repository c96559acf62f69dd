package io.minirpc.cli;

import io.minirpc.ServiceName;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --service-version} option, and the service key it makes of a command's SERVICE. */
final class ServiceVersionOption {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(
      names = "--service-version",
      paramLabel = "VERSION",
      description =
          "The service's version, when SERVICE does not say it as name:version (such as"
              + " demo.Greeting:1).")
  private String version;

  /**
   * The service named {@code name} or {@code name:version}, with this option's version if given.
   *
   * @throws ParameterException if the name is empty, or gives a version as well as this option
   */
  ServiceName serviceName(String service) {
    int colon = service.indexOf(':');
    String name = colon < 0 ? service : service.substring(0, colon);
    if (name.isEmpty()) {
      throw new ParameterException(mixee.commandLine(), "no service name in '" + service + "'");
    }
    if (colon >= 0 && version != null) {
      throw new ParameterException(
          mixee.commandLine(),
          "'" + service + "' has a version already: give it there or in --service-version");
    }
    String v = colon >= 0 ? service.substring(colon + 1) : version == null ? "" : version;
    return new ServiceName(name, v);
  }
}
