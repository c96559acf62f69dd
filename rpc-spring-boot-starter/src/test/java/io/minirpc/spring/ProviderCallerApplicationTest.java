package io.minirpc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.Provider;
import io.minirpc.ProviderState;
import io.minirpc.RpcException;
import io.minirpc.ServiceName;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import io.minirpc.registry.zookeeper.EmbeddedZooKeeper;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A provider application and a caller application, each a Spring Boot application with the
 * starter's auto-configuration, on a real embedded ZooKeeper: the caller's {@link RpcReference}
 * field, constructor parameter and {@code @Bean} method parameter make real calls over 127.0.0.1,
 * and closing the provider's context shuts its server down gracefully.
 */
class ProviderCallerApplicationTest {

  private static EmbeddedZooKeeper zooKeeper;

  @BeforeAll
  static void startZooKeeper() {
    zooKeeper = EmbeddedZooKeeper.start();
  }

  @AfterAll
  static void stopZooKeeper() {
    zooKeeper.close();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class ProviderApplication {
    @Bean
    EchoServiceImpl echoService() {
      return new EchoServiceImpl();
    }
  }

  /** Takes one stub by field and one by constructor parameter. */
  static class Caller {
    @RpcReference EchoService byField;

    final EchoService byConstructor;

    Caller(@RpcReference EchoService byConstructor) {
      this.byConstructor = byConstructor;
    }
  }

  record Impatient(EchoService echo) {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Caller.class)
  static class CallerApplication {
    @Bean
    Impatient impatient(@RpcReference(timeout = "200ms") EchoService echo) {
      return new Impatient(echo);
    }
  }

  private static ConfigurableApplicationContext run(Class<?> application, String... properties) {
    return new SpringApplicationBuilder(application)
        .web(WebApplicationType.NONE)
        .registerShutdownHook(false)
        .properties("spring.main.banner-mode=off")
        .properties("minirpc.registry.connect-string=" + zooKeeper.connectString())
        .properties(properties)
        .run();
  }

  @Test
  void callerReferencesCallTheProviderFoundThroughZooKeeper() {
    try (ConfigurableApplicationContext provider =
            run(ProviderApplication.class, "minirpc.server.host=127.0.0.1");
        ConfigurableApplicationContext caller = run(CallerApplication.class)) {
      Caller references = caller.getBean(Caller.class);
      assertThat(references.byField.echo("field")).isEqualTo("echo field");
      assertThat(references.byConstructor.echo("constructor")).isEqualTo("echo constructor");
      // One interface with the same options: one shared stub.
      assertThat(references.byField).isSameAs(references.byConstructor);

      EchoService impatient = caller.getBean(Impatient.class).echo();
      assertThat(impatient).isNotSameAs(references.byField);
      assertThatThrownBy(() -> impatient.hold("too long"))
          .isInstanceOfSatisfying(
              RpcException.class,
              e -> assertThat(e.status().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      provider.getBean(EchoServiceImpl.class).open();

      // The caller exports nothing, so it runs no server; the provider runs one and a client.
      assertThat(caller.getBeansOfType(RpcServer.class)).isEmpty();
      assertThat(provider.getBean(RpcServer.class).health().check(Health.SERVER))
          .isEqualTo(ServingStatus.SERVING);
    }
  }

  @Test
  void closingTheProviderWithdrawsItAndFinishesTheCallInFlight() throws Exception {
    // A grace period the held call cannot outlast, however slow this machine is today.
    ConfigurableApplicationContext provider =
        run(
            ProviderApplication.class,
            "minirpc.server.host=127.0.0.1",
            "minirpc.server.grace-period=30s");
    try (ConfigurableApplicationContext caller = run(CallerApplication.class);
        ZooKeeperRegistry watcher =
            ZooKeeperRegistry.builder().connectString(zooKeeper.connectString()).build()) {
      AtomicReference<List<Provider>> listed = new AtomicReference<>(List.of());
      watcher.subscribe(ServiceName.of(EchoService.class), listed::set);
      Await.until(Duration.ofSeconds(10), "the provider listed", () -> listed.get().size() == 1);

      RpcServer server = provider.getBean(RpcServer.class);
      EchoServiceImpl service = provider.getBean(EchoServiceImpl.class);
      HealthIndicator providerHealth =
          provider.getBean("minirpcHealthIndicator", HealthIndicator.class);
      HealthIndicator callerHealth =
          caller.getBean("minirpcHealthIndicator", HealthIndicator.class);
      EchoService echo = caller.getBean(Caller.class).byField;
      assertThat(echo.echo("before")).isEqualTo("echo before");
      assertThat(providerHealth.health().getStatus())
          .isEqualTo(org.springframework.boot.actuate.health.Status.UP);
      assertThat(providerHealth.health().getDetails().get("server"))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
          .containsEntry("status", "SERVING")
          .containsEntry("port", server.port())
          .containsEntry("services", Map.of("spring.test.Echo", "SERVING"));
      String address = "127.0.0.1:" + server.port();
      assertThat(callerHealth.health().getDetails().get("client"))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
          .containsEntry("providers", Map.of(address, ProviderState.AVAILABLE.name()));

      CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> echo.hold("late"));
      Await.until(Duration.ofSeconds(5), "the call in flight", () -> server.inFlightCalls() == 1);
      CompletableFuture<Void> closing = CompletableFuture.runAsync(provider::close);

      Await.until(
          Duration.ofSeconds(5),
          "NOT_SERVING",
          () -> server.health().check(Health.SERVER) == ServingStatus.NOT_SERVING);
      Await.until(Duration.ofSeconds(5), "the provider withdrawn", () -> listed.get().isEmpty());
      assertThat(providerHealth.health().getStatus())
          .isEqualTo(org.springframework.boot.actuate.health.Status.DOWN);
      assertThat(closing).isNotDone();

      service.open();
      assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("held late");
      closing.get(10, TimeUnit.SECONDS);
      assertThat(provider.isActive()).isFalse();
      assertThat(providerHealth.health().getDetails().get("server"))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
          .containsEntry("status", "STOPPED");
      assertThat(caller.getBean(RpcClient.class).providerStates().byAddress())
          .doesNotContainEntry(address, ProviderState.AVAILABLE);
    } finally {
      provider.close();
    }
  }
}
