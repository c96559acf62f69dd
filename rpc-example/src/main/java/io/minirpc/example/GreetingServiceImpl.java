package io.minirpc.example;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** The provider's implementation of {@link GreetingService}; it says which process answered. */
public final class GreetingServiceImpl implements GreetingService {

  private final String process = ManagementFactory.getRuntimeMXBean().getName();
  private final AtomicInteger remembered = new AtomicInteger();
  private final AtomicInteger greeted = new AtomicInteger();

  /** How many times {@link #greet} ran here. */
  public int greeted() {
    return greeted.get();
  }

  @Override
  public String greet(String name) {
    greeted.incrementAndGet();
    return "Hello, " + name + "! (from process " + process + ")";
  }

  @Override
  public CompletableFuture<String> greetLater(String name) {
    return CompletableFuture.supplyAsync(() -> "Hello later, " + name + "!");
  }

  @Override
  public List<String> greetAll(List<String> names) {
    return names.stream().map(n -> "Hi " + n).toList();
  }

  @Override
  public void remember(String name) {
    remembered.incrementAndGet();
  }

  @Override
  public int remembered() {
    return remembered.get();
  }

  @Override
  public String greetSlowly(String name, int delayMillis) {
    try {
      Thread.sleep(delayMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "Hello at last, " + name + "!";
  }

  @Override
  public String greetStrictly(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a name is required");
    }
    return greet(name);
  }
}
