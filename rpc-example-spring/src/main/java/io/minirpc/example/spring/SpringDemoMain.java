package io.minirpc.example.spring;

import io.minirpc.registry.zookeeper.EmbeddedZooKeeper;
import io.minirpc.server.RpcServer;
import java.io.PrintStream;
import java.util.Arrays;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The demo on Spring Boot: starts an embedded ZooKeeper, the provider application and the caller
 * application (each its own Spring context, in this JVM), makes the caller's calls, prints the
 * provider's {@code minirpc} health from Actuator, then closes the provider (gracefully: it turns
 * NOT_SERVING and leaves ZooKeeper first) and prints its health again.
 *
 * <p>Usage: {@code java -jar rpc-example-spring/target/minirpc-example-spring.jar}. With {@code
 * provider} or {@code caller} as first argument, runs only that application, with the remaining
 * arguments as Spring Boot's ({@code --minirpc.registry.connect-string=127.0.0.1:2181}): the
 * provider until stopped, the caller for one round of calls.
 */
public final class SpringDemoMain {

  private SpringDemoMain() {}

  public static void main(String[] args) throws Exception {
    String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
    if (args.length > 0 && args[0].equals("provider")) {
      application(ProviderApplication.class).properties("spring.main.keep-alive=true").run(rest);
    } else if (args.length > 0 && args[0].equals("caller")) {
      try (ConfigurableApplicationContext caller = application(CallerApplication.class).run(rest)) {
        caller.getBean(DemoCalls.class).run(System.out);
      }
    } else {
      try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start()) {
        run(zooKeeper.connectString(), System.out);
      }
    }
  }

  /** The whole demo against this ZooKeeper. */
  static void run(String zooKeeper, PrintStream out) throws Exception {
    String registry = "--minirpc.registry.connect-string=" + zooKeeper;
    ConfigurableApplicationContext provider =
        application(ProviderApplication.class).run(registry, "--minirpc.server.host=127.0.0.1");
    try {
      out.println("provider:  minirpc on 127.0.0.1:" + provider.getBean(RpcServer.class).port());
      try (ConfigurableApplicationContext caller =
          application(CallerApplication.class).run(registry)) {
        caller.getBean(DemoCalls.class).run(out);
      }
      HealthEndpoint health = provider.getBean(HealthEndpoint.class);
      out.println("health:    minirpc " + health.healthForPath("minirpc").getStatus());
      // Kept to ask after the close, when the context has no beans to give.
      HealthIndicator indicator = provider.getBean("minirpcHealthIndicator", HealthIndicator.class);
      provider.close();
      out.println("health:    minirpc " + indicator.health().getStatus() + " after the close");
    } finally {
      provider.close();
    }
  }

  private static SpringApplicationBuilder application(Class<?> type) {
    return new SpringApplicationBuilder(type)
        .web(WebApplicationType.NONE)
        .properties(
            "spring.main.banner-mode=off",
            "management.endpoint.health.show-details=always",
            "logging.level.root=warn");
  }
}
