package io.minirpc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.minirpc.ServiceName;
import io.minirpc.reflection.Reflection;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code minirpc list}: the services a server exports, from its reflection service; or, with {@code
 * --zookeeper}, the services that have providers in ZooKeeper.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = MinirpcCli.Version.class,
    description = {
      "Lists the services of the server at --address (its reflection service), one key per line.",
      "With --zookeeper, the services that have providers registered there."
    })
final class ListCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Mixin private ConnectionOptions connection;

  @Option(
      names = "--json",
      description =
          "Print the server's whole listing (methods, types, timeouts) as JSON; with --zookeeper,"
              + " a JSON array of the service keys.")
  private boolean json;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    if (connection.viaZooKeeper()) {
      List<String> keys;
      try (ZooKeeperRegistry registry = connection.zooKeeper()) {
        keys = registry.services().stream().map(ServiceName::key).toList();
      }
      if (json) {
        out.println(JsonOutput.pretty(keys));
      } else {
        keys.forEach(out::println);
      }
      out.flush();
      return;
    }
    JsonNode listing;
    try (Connection server = connection.open(null)) {
      listing = JsonOutput.parse(server.stub(Reflection.class).listServices());
    }
    if (json) {
      out.println(JsonOutput.pretty(listing));
    } else {
      for (JsonNode service : listing.path("services")) {
        out.println(
            new ServiceName(service.path("name").asText(), service.path("version").asText()).key());
      }
    }
    out.flush();
  }
}
