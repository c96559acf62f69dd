package io.minirpc.registry.zookeeper;

import io.minirpc.RpcException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** One call a test made: what it was, when it ran, and how it ended. */
record CallRecord(
    String id,
    boolean idempotent,
    long startNanos,
    long endNanos,
    String result,
    RpcException failure) {

  /** Makes the call and records it; an {@link RpcException} is recorded, not thrown. */
  static CallRecord of(String id, boolean idempotent, Supplier<String> call) {
    long start = System.nanoTime();
    try {
      String result = call.get();
      return new CallRecord(id, idempotent, start, System.nanoTime(), result, null);
    } catch (RpcException e) {
      return new CallRecord(id, idempotent, start, System.nanoTime(), null, e);
    }
  }

  boolean succeeded() {
    return failure == null;
  }

  long millis() {
    return TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos);
  }

  @Override
  public String toString() {
    return id
        + " ("
        + (failure == null ? "answered " + result : failure.toString())
        + " after "
        + millis()
        + " ms)";
  }
}
