package io.minirpc.example.spring;

import io.minirpc.RpcException;
import io.minirpc.example.GreetingService;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserService;
import io.minirpc.spring.RpcReference;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's calls from a Spring bean: one stub injected into a field, one into the constructor,
 * and one with a shorter timeout.
 */
public class DemoCalls {

  @RpcReference private UserService users;

  private final GreetingService greetings;
  private final GreetingService impatient;

  DemoCalls(
      @RpcReference GreetingService greetings,
      @RpcReference(timeout = "100ms") GreetingService impatient) {
    this.greetings = greetings;
    this.impatient = impatient;
  }

  /** Makes the calls, printing a line for each. */
  public void run(PrintStream out) throws Exception {
    print(out, "sync", "greet(\"Ada\")", greetings.greet("Ada"));
    print(
        out,
        "async",
        "greetLater(\"Grace\")",
        greetings.greetLater("Grace").get(5, TimeUnit.SECONDS));
    print(out, "sync", "greetAll([Linus, Ken])", greetings.greetAll(List.of("Linus", "Ken")));
    try {
      greetings.greetStrictly("");
    } catch (RpcException e) {
      print(out, "failing", "greetStrictly(\"\")", e.getMessage());
    }
    try {
      impatient.greetSlowly("Edsger", 1_000);
    } catch (RpcException e) {
      print(out, "failing", "greetSlowly(1 s), timeout = \"100ms\"", e.status().code());
    }
    User user = users.getUser(7);
    print(out, "sync", "getUser(7)", user.getName() + ", " + user.getAddress());
  }

  static void print(PrintStream out, String kind, String call, Object outcome) {
    out.printf("%-8s %-36s -> %s%n", kind, call, outcome);
  }
}
