package io.minirpc.example;

import io.minirpc.RpcException;
import io.minirpc.client.RpcClient;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Calls {@link GreetingService} in each way minirpc can, printing what happens.
 *
 * <p>Usage: {@code java -cp minirpc-example.jar io.minirpc.example.CallerMain --zookeeper
 * 127.0.0.1:2181} to find the providers through ZooKeeper, or {@code ... CallerMain --direct
 * host:port} to call one provider directly.
 */
public final class CallerMain {

  private CallerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !(args[0].equals("--zookeeper") || args[0].equals("--direct"))) {
      System.err.println("usage: CallerMain --zookeeper host:port | --direct host:port");
      System.exit(2);
    }
    if (args[0].equals("--direct")) {
      try (RpcClient client =
          RpcClient.builder().addresses(args[1]).timeout(Duration.ofSeconds(5)).build()) {
        run(client, System.out);
      }
    } else {
      try (ZooKeeperRegistry registry = ZooKeeperRegistry.builder().connectString(args[1]).build();
          RpcClient client =
              RpcClient.builder().registry(registry).timeout(Duration.ofSeconds(5)).build()) {
        run(client, System.out);
      }
    }
  }

  /** Makes the demo's calls through this client, printing a line for each. */
  static void run(RpcClient client, PrintStream out) throws Exception {
    GreetingService greetings = client.stub(GreetingService.class);
    out.println("sync    greet(\"Ada\")          -> " + greetings.greet("Ada"));
    out.println(
        "async   greetLater(\"Grace\")    -> "
            + greetings.greetLater("Grace").get(5, TimeUnit.SECONDS));
    out.println(
        "list    greetAll([Linus, Ken])  -> " + greetings.greetAll(List.of("Linus", "Ken")));
    greetings.remember("Barbara");
    out.println("one-way remember(\"Barbara\")  -> sent, no answer awaited");
    try {
      greetings.greetStrictly("");
    } catch (RpcException e) {
      out.println("failing greetStrictly(\"\")     -> " + e.getMessage());
    }
    // Round robin over the providers: each answer names the process that gave it.
    TreeMap<String, Integer> answeredBy = new TreeMap<>();
    for (int i = 0; i < 10; i++) {
      String answer = greetings.greet("caller");
      String process = answer.substring(answer.indexOf("process ") + 8, answer.length() - 1);
      answeredBy.merge(process, 1, Integer::sum);
    }
    out.println("spread  10 x greet(\"caller\")   -> answers by process: " + answeredBy);
  }
}
