package io.minirpc.benchmark;

import java.util.Arrays;
import java.util.List;

/**
 * How the callers of a trial call: each blocking until its answer, or a few threads keeping calls
 * in flight without waiting for them.
 */
public enum CallMode {
  /** One JMH thread per caller, each making blocking calls back to back ({@link UserCalls}). */
  BLOCKING("blocking"),
  /**
   * A few threads keeping the callers' number of calls in flight between them, each completed call
   * letting its thread start the next ({@link AsyncUserCalls}, {@link AsyncUserServiceBenchmark}).
   */
  ASYNC("async");

  private final String id;

  CallMode(String id) {
    this.id = id;
  }

  /** The mode's name in arguments and reports: {@code async}. */
  public String id() {
    return id;
  }

  /**
   * The mode of this name.
   *
   * @throws IllegalArgumentException if there is none; the message lists the names
   */
  public static CallMode named(String id) {
    for (CallMode mode : values()) {
      if (mode.id.equals(id)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown mode " + id + "; the modes are " + names());
  }

  static List<String> names() {
    return Arrays.stream(values()).map(CallMode::id).toList();
  }
}
