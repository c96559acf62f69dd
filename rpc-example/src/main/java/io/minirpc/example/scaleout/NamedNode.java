package io.minirpc.example.scaleout;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** A provider of {@link NodeNameService} that answers with the name it was given. */
public final class NamedNode implements NodeNameService {

  private final String name;

  public NamedNode(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public CompletableFuture<String> nodeName(long call, int delayMillis) {
    if (delayMillis <= 0) {
      return CompletableFuture.completedFuture(name);
    }
    // Completed later by the common pool's timer: no thread is held while the call is in flight.
    Executor later = CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS);
    return CompletableFuture.supplyAsync(() -> name, later);
  }
}
