package io.minirpc.registry.zookeeper;

import java.io.PrintStream;

/**
 * A {@link WorkService} provider whose work is a sleep, and which announces each slow call as it
 * starts on its standard output ({@value #STARTED} and the call's id), so that the test that runs
 * it in a process of its own knows which calls are in flight there.
 */
final class SleepingWork implements WorkService {

  /** The line printed when a slow call starts, followed by its id. */
  static final String STARTED = "STARTED ";

  private final String name;
  private final PrintStream out;

  SleepingWork(String name, PrintStream out) {
    this.name = name;
    this.out = out;
  }

  @Override
  public String read(String id, int millis) {
    return work(id, millis);
  }

  @Override
  public String write(String id, int millis) {
    return work(id, millis);
  }

  private String work(String id, int millis) {
    if (millis > 0) {
      out.println(STARTED + id);
      out.flush();
      try {
        // The work itself, not a wait for a condition: this provider is meant to be slow.
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return name;
  }
}
