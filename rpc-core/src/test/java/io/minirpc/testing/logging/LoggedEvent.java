package io.minirpc.testing.logging;

import org.slf4j.event.Level;

/**
 * One event seen by a {@link LogCapture}: its level, logger, formatted message, and the throwable
 * with its printed stack trace, if any.
 */
public record LoggedEvent(
    Level level, String logger, String message, Throwable throwable, String stackTrace) {

  @Override
  public String toString() {
    return level + " " + logger + ": " + message + (stackTrace == null ? "" : "\n" + stackTrace);
  }
}
