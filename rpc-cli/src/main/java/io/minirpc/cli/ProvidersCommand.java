package io.minirpc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.minirpc.ServiceName;
import io.minirpc.registry.zookeeper.ProviderNode;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code minirpc providers SERVICE --zookeeper ..}: a service's providers as ZooKeeper has them.
 */
@Command(
    name = "providers",
    mixinStandardHelpOptions = true,
    versionProvider = MinirpcCli.Version.class,
    description =
        "Lists the providers of a service registered in ZooKeeper: address, weight, serializers"
            + " and start time of each, as a table or JSON.")
final class ProvidersCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Mixin private ServiceVersionOption version;

  @Parameters(paramLabel = "SERVICE", description = "The service's key: name, or name:version.")
  private String service;

  @Option(
      names = {"-z", "--zookeeper"},
      required = true,
      paramLabel = "CONNECT",
      description = "The ZooKeeper ensemble: host:port[,host:port...].")
  private String zooKeeper;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "DURATION",
      defaultValue = "3s",
      converter = DurationConverter.class,
      description = "The longest wait for ZooKeeper's connection: 500ms, 2s, 1m (default: 3s).")
  private Duration timeout;

  @Option(
      names = "--json",
      description = "Print the providers' documents, as ZooKeeper holds them, as a JSON array.")
  private boolean json;

  @Override
  public void run() {
    ServiceName name = version.serviceName(service);
    List<ProviderNode> providers;
    try (ZooKeeperRegistry registry = ConnectionOptions.zooKeeper(zooKeeper, timeout)) {
      providers = registry.providerNodes(name);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode documents = JsonOutput.mapper().valueToTree(providers);
      out.println(JsonOutput.pretty(documents));
    } else if (providers.isEmpty()) {
      out.println("no provider of " + name.key() + " is registered");
    } else {
      printTable(out, providers);
    }
    out.flush();
  }

  private static void printTable(PrintWriter out, List<ProviderNode> providers) {
    String[][] rows = new String[providers.size() + 1][];
    rows[0] = new String[] {"ADDRESS", "WEIGHT", "SERIALIZERS", "STARTED"};
    for (int i = 0; i < providers.size(); i++) {
      ProviderNode p = providers.get(i);
      rows[i + 1] =
          new String[] {
            p.address() != null ? p.address() : p.host() + ":" + p.port(),
            p.weight() > 0 ? Integer.toString(p.weight()) : "-",
            p.serializers() == null || p.serializers().isEmpty()
                ? "any"
                : String.join(",", p.serializers()),
            p.startTime() > 0
                ? Instant.ofEpochMilli(p.startTime()).truncatedTo(ChronoUnit.SECONDS).toString()
                : "-"
          };
    }
    int[] widths = new int[rows[0].length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        line.append(
            c == row.length - 1 ? row[c] : String.format("%-" + (widths[c] + 2) + "s", row[c]));
      }
      out.println(line);
    }
  }
}
