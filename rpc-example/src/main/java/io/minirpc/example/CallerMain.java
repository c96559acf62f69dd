package io.minirpc.example;

import io.minirpc.CallOptions;
import io.minirpc.RpcException;
import io.minirpc.client.RpcClient;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserService;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Calls {@link GreetingService} in each way minirpc can, and the benchmark's {@link UserService},
 * printing what happens.
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
    print(out, "sync", "greet(\"Ada\")", greetings.greet("Ada"));
    print(
        out,
        "async",
        "greetLater(\"Grace\")",
        greetings.greetLater("Grace").get(5, TimeUnit.SECONDS));
    print(out, "sync", "greetAll([Linus, Ken])", greetings.greetAll(List.of("Linus", "Ken")));
    greetings.remember("Barbara");
    print(out, "one-way", "remember(\"Barbara\")", "sent, no answer awaited");
    try {
      greetings.greetStrictly("");
    } catch (RpcException e) {
      print(out, "failing", "greetStrictly(\"\")", e.getMessage());
    }
    GreetingService impatient =
        client.stub(GreetingService.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(100)));
    try {
      impatient.greetSlowly("Edsger", 1_000);
    } catch (RpcException e) {
      print(out, "failing", "greetSlowly(1 s), 100 ms budget", e.status().code());
    }
    UserService users = client.stub(UserService.class);
    User user = users.getUser(7);
    print(out, "sync", "getUser(7)", user.getName() + ", " + user.getAddress());
    List<User> page = users.listUser(2).getResult();
    print(
        out,
        "sync",
        "listUser(2)",
        page.size() + " users, ids " + page.get(0).getId() + ".." + page.get(14).getId());
    // Round robin over the providers: each answer names the process that gave it.
    TreeMap<String, Integer> answeredBy = new TreeMap<>();
    for (int i = 0; i < 10; i++) {
      String answer = greetings.greet("caller");
      String process = answer.substring(answer.indexOf("process ") + 8, answer.length() - 1);
      answeredBy.merge(process, 1, Integer::sum);
    }
    print(out, "spread", "10 x greet(\"caller\")", "answers by process: " + answeredBy);
  }

  /** One line of the demo's report: the kind of call, the call, and what came of it. */
  static void print(PrintStream out, String kind, String call, Object outcome) {
    out.printf("%-8s %-36s -> %s%n", kind, call, outcome);
  }
}
