package io.minirpc.testing.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Records what every logger of the JVM logs at or above a level while it is open, with that level
 * enabled and each event fully formatted, as a production logger at that level would.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start(Level.TRACE)) {
 *   ...
 *   assertThat(logs.events(Level.ERROR)).isEmpty();
 * }
 * }</pre>
 *
 * <p>One capture at a time: test classes of a module run one after another in one JVM.
 */
public final class LogCapture implements AutoCloseable {

  private static volatile LogCapture active;

  private final Level level;
  private final Queue<LoggedEvent> events = new ConcurrentLinkedQueue<>();

  private LogCapture(Level level) {
    this.level = level;
  }

  /**
   * Starts recording events at or above {@code level}.
   *
   * @throws IllegalStateException if the tests do not run with {@link CapturingServiceProvider}, or
   *     another capture is open
   */
  public static synchronized LogCapture start(Level level) {
    if (!(LoggerFactory.getLogger(LogCapture.class) instanceof CapturingLogger)) {
      throw new IllegalStateException(
          "logs cannot be captured: run the tests with -Dslf4j.provider="
              + CapturingServiceProvider.class.getName()
              + " (rpc-core's pom does)");
    }
    if (active != null) {
      throw new IllegalStateException("a log capture is open already");
    }
    LogCapture capture = new LogCapture(level);
    active = capture;
    return capture;
  }

  static LogCapture active() {
    return active;
  }

  boolean wants(Level eventLevel) {
    return eventLevel.toInt() >= level.toInt();
  }

  void record(LoggedEvent event) {
    events.add(event);
  }

  /** Every event recorded so far, in order. */
  public List<LoggedEvent> events() {
    return new ArrayList<>(events);
  }

  /** The events recorded so far at or above this level. */
  public List<LoggedEvent> events(Level atLeast) {
    return events().stream().filter(e -> e.level().toInt() >= atLeast.toInt()).toList();
  }

  /** Forgets the events recorded so far. */
  public void clear() {
    events.clear();
  }

  @Override
  public void close() {
    synchronized (LogCapture.class) {
      if (active == this) {
        active = null;
      }
    }
  }
}
