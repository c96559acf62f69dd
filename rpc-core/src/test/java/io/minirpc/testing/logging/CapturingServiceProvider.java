package io.minirpc.testing.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of rpc-core's tests: slf4j-simple, with every logger wrapped in a {@link
 * CapturingLogger} so that {@link LogCapture} can see what is logged. Chosen with the system
 * property {@code slf4j.provider} (see rpc-core's pom) rather than registered as a service, so that
 * other modules that reuse rpc-core's test jar keep their own logging.
 */
public final class CapturingServiceProvider implements SLF4JServiceProvider {

  private final SimpleServiceProvider simple = new SimpleServiceProvider();
  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final ILoggerFactory factory =
      name ->
          loggers.computeIfAbsent(
              name, n -> new CapturingLogger(n, simple.getLoggerFactory().getLogger(n)));

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return simple.getMarkerFactory();
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return simple.getMDCAdapter();
  }

  @Override
  public String getRequestedApiVersion() {
    return simple.getRequestedApiVersion();
  }

  @Override
  public void initialize() {
    simple.initialize();
  }
}
