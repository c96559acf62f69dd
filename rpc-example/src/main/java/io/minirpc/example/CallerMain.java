package io.minirpc.example;

import io.minirpc.RpcException;
import io.minirpc.client.RpcClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Calls a {@link GreetingService} provider in each way minirpc can, printing what happens.
 *
 * <p>Usage: {@code java -cp minirpc-example.jar io.minirpc.example.CallerMain host:port}.
 */
public final class CallerMain {

  private CallerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: CallerMain host:port");
      System.exit(2);
    }
    run(args[0], System.out);
  }

  /** Makes the demo's calls to the provider at this address, printing a line for each. */
  static void run(String address, PrintStream out) throws Exception {
    try (RpcClient client =
        RpcClient.builder().addresses(address).timeout(Duration.ofSeconds(5)).build()) {
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
    }
  }
}
