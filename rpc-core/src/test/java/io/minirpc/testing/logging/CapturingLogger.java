package io.minirpc.testing.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A logger that hands every event to the active {@link LogCapture}, if any, and then to
 * slf4j-simple's logger of the same name as configured. While a capture asks for a level, that
 * level is enabled whatever the configuration says, and each event is formatted in full (its
 * arguments' {@code toString()} and the throwable's stack trace), as a production logger at that
 * level would.
 */
final class CapturingLogger extends LegacyAbstractLogger {

  private static final long serialVersionUID = 1L;

  private final transient Logger delegate;

  CapturingLogger(String name, Logger delegate) {
    this.name = name;
    this.delegate = delegate;
  }

  private static boolean captured(Level level) {
    LogCapture capture = LogCapture.active();
    return capture != null && capture.wants(level);
  }

  @Override
  public boolean isTraceEnabled() {
    return delegate.isTraceEnabled() || captured(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return delegate.isDebugEnabled() || captured(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return delegate.isInfoEnabled() || captured(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return delegate.isWarnEnabled() || captured(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return delegate.isErrorEnabled() || captured(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    LogCapture capture = LogCapture.active();
    boolean enabled = delegate.isEnabledForLevel(level);
    if ((capture == null || !capture.wants(level)) && !enabled) {
      return;
    }
    String message = MessageFormatter.basicArrayFormat(pattern, arguments);
    if (capture != null && capture.wants(level)) {
      String trace = null;
      if (throwable != null) {
        StringWriter out = new StringWriter();
        throwable.printStackTrace(new PrintWriter(out));
        trace = out.toString();
      }
      capture.record(new LoggedEvent(level, name, message, throwable, trace));
    }
    if (enabled) {
      switch (level) {
        case ERROR -> delegate.error(message, throwable);
        case WARN -> delegate.warn(message, throwable);
        case INFO -> delegate.info(message, throwable);
        case DEBUG -> delegate.debug(message, throwable);
        case TRACE -> delegate.trace(message, throwable);
      }
    }
  }
}
