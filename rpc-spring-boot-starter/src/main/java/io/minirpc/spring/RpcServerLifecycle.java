package io.minirpc.spring;

import io.minirpc.ServiceName;
import io.minirpc.server.RpcServer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the auto-configured {@link RpcServer} once every singleton is ready, and closes it when
 * the context stops, in phase {@link #PHASE}: the phase of Spring Boot's graceful shutdown of a web
 * server ({@code WebServerGracefulShutdownLifecycle}), so that the two drain side by side, before
 * any bean is destroyed. Closing is graceful whatever {@code server.shutdown} says: health
 * NOT_SERVING, withdrawal from the registry, then the calls in flight finish for up to {@code
 * minirpc.server.grace-period} (keep it below {@code spring.lifecycle.timeout-per-shutdown-phase},
 * 30 seconds by default).
 */
final class RpcServerLifecycle implements SmartLifecycle {

  /** The phase in which the server starts (late) and stops (early). */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

  private static final Logger log = LoggerFactory.getLogger(RpcServerLifecycle.class);

  private final RpcServer server;
  private final List<String> serviceKeys;
  private volatile boolean running;

  RpcServerLifecycle(RpcServer server, List<String> serviceKeys) {
    this.server = server;
    this.serviceKeys = List.copyOf(serviceKeys);
  }

  /**
   * Builds a server of every singleton bean that implements an {@code @RpcService} interface, but
   * for plain JDK proxies (stubs declared as beans); each such bean is destroyed only after the
   * server.
   *
   * @throws IllegalStateException if no bean is left to export
   */
  static RpcServerLifecycle of(
      ConfigurableListableBeanFactory beans, String serverBeanName, RpcServer.Builder builder) {
    List<String> keys = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String name : beans.getBeanDefinitionNames()) {
      if (!OnExportedServicesCondition.exportable(beans, name)) {
        continue;
      }
      Object bean = beans.getBean(name);
      if (ServiceInterfaces.isPlainProxy(bean)) {
        skipped.add(name);
        continue;
      }
      builder.addService(bean);
      for (Class<?> service : ServiceInterfaces.of(bean.getClass())) {
        keys.add(ServiceName.of(service).key());
      }
      beans.registerDependentBean(name, serverBeanName);
    }
    if (keys.isEmpty()) {
      throw new IllegalStateException(
          "no bean to export: "
              + (skipped.isEmpty()
                  ? "none implements an @RpcService interface"
                  : "beans " + skipped + " are JDK proxies (RpcClient stubs?) and are not exported")
              + "; set minirpc.server.enabled=false for no server");
    }
    return new RpcServerLifecycle(builder.build(), keys);
  }

  RpcServer server() {
    return server;
  }

  /** The keys of the exported services, as the server's health service knows them. */
  List<String> serviceKeys() {
    return serviceKeys;
  }

  @Override
  public void start() {
    server.start();
    running = true;
    log.info("minirpc server listening on port {}, exporting {}", server.port(), serviceKeys);
  }

  @Override
  public void stop() {
    try {
      server.close();
    } finally {
      running = false;
    }
  }

  /** Closes on a thread of its own, so that other lifecycles of the phase stop meanwhile. */
  @Override
  public void stop(Runnable callback) {
    Thread closing =
        new Thread(
            () -> {
              try {
                stop();
              } finally {
                callback.run();
              }
            },
            "minirpc-server-shutdown");
    closing.start();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
