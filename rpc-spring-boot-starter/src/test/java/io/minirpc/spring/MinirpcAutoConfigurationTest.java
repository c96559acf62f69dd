package io.minirpc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.client.RpcClient;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.unit.DataSize;

/**
 * The auto-configuration in application contexts of Spring Boot's {@link ApplicationContextRunner}:
 * which beans it makes when, how the {@code minirpc.*} properties bind, what a misconfiguration
 * says, and the health indicator. Calls go over 127.0.0.1 to servers on free ports.
 */
class MinirpcAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(MinirpcAutoConfiguration.class))
          .withPropertyValues("minirpc.server.host=127.0.0.1");

  @Configuration(proxyBeanMethods = false)
  static class Provider {
    @Bean
    EchoServiceImpl echoService() {
      return new EchoServiceImpl();
    }
  }

  static class Caller {
    @RpcReference EchoService echo;
  }

  @Configuration(proxyBeanMethods = false)
  @Import(Caller.class)
  static class CallerConfiguration {}

  /** A stub declared as a bean: it implements the service interface, and must not be exported. */
  @Configuration(proxyBeanMethods = false)
  static class StubBean {
    @Bean(destroyMethod = "close")
    RpcClient libraryClient() {
      return RpcClient.builder().addresses("127.0.0.1:1").build();
    }

    @Bean
    EchoService echoStub(RpcClient libraryClient) {
      return libraryClient.stub(EchoService.class);
    }
  }

  @Test
  void propertiesBindWithBootsDurationsAndDataSizes() {
    runner
        .withUserConfiguration(Provider.class)
        .withPropertyValues(
            "minirpc.server.rest-port=0",
            "minirpc.server.grace-period=2s",
            "minirpc.server.max-frame-size=1MB",
            "minirpc.server.serializers=kryo,json",
            "minirpc.client.addresses=127.0.0.1:7070,127.0.0.1:7071",
            "minirpc.client.timeout=250ms",
            "minirpc.client.load-balancer=least-pending",
            "minirpc.registry.session-timeout=5s")
        .run(
            context -> {
              MinirpcProperties properties = context.getBean(MinirpcProperties.class);
              assertThat(properties.server().restPort()).isZero();
              assertThat(properties.server().gracePeriod()).isEqualTo(Duration.ofSeconds(2));
              assertThat(properties.server().maxFrameSize()).isEqualTo(DataSize.ofMegabytes(1));
              assertThat(properties.server().serializers()).containsExactly("kryo", "json");
              assertThat(properties.server().port()).isNull();
              assertThat(properties.server().tls().enabled()).isFalse();
              assertThat(properties.client().addresses())
                  .containsExactly("127.0.0.1:7070", "127.0.0.1:7071");
              assertThat(properties.client().timeout()).isEqualTo(Duration.ofMillis(250));
              assertThat(properties.client().enabled()).isTrue();
              assertThat(properties.registry().sessionTimeout()).isEqualTo(Duration.ofSeconds(5));
              assertThat(properties.registry().connectString()).isNull();
              // Started with the context: both ports listen.
              RpcServer server = context.getBean(RpcServer.class);
              assertThat(server.port()).isPositive();
              assertThat(server.restPort()).isPositive();
              assertThat(context).hasSingleBean(RpcClient.class);
            });
  }

  @Test
  void referenceCallsTheProviderAtTheConfiguredAddressWithTheConfiguredSerializer() {
    runner
        .withUserConfiguration(Provider.class)
        .run(
            provider -> {
              int port = provider.getBean(RpcServer.class).port();
              new ApplicationContextRunner()
                  .withConfiguration(AutoConfigurations.of(MinirpcAutoConfiguration.class))
                  .withUserConfiguration(CallerConfiguration.class)
                  .withPropertyValues(
                      "minirpc.client.addresses=127.0.0.1:" + port,
                      "minirpc.client.serializer=json")
                  .run(
                      caller -> {
                        assertThat(caller).doesNotHaveBean(RpcServer.class);
                        assertThat(caller.getBean(RpcClient.class).serializer().name())
                            .isEqualTo("json");
                        assertThat(caller.getBean(Caller.class).echo.echo("json"))
                            .isEqualTo("echo json");
                      });
            });
  }

  @Test
  void tlsPropertiesSecureTheServerAndTheClient(@TempDir Path dir) {
    TestCertificates pki = TestCertificates.createIn(dir);
    runner
        .withUserConfiguration(Provider.class)
        .withPropertyValues(
            "minirpc.server.tls.enabled=true",
            "minirpc.server.tls.certificate-chain=file:" + pki.serverCertificate(),
            "minirpc.server.tls.private-key=file:" + pki.serverKey(),
            "minirpc.server.tls.trust-certificates=file:" + pki.caCertificate(),
            "minirpc.server.tls.client-auth=require")
        .run(
            provider -> {
              int port = provider.getBean(RpcServer.class).port();
              new ApplicationContextRunner()
                  .withConfiguration(AutoConfigurations.of(MinirpcAutoConfiguration.class))
                  .withUserConfiguration(CallerConfiguration.class)
                  .withPropertyValues(
                      "minirpc.client.addresses=127.0.0.1:" + port,
                      "minirpc.client.tls.enabled=true",
                      "minirpc.client.tls.trust-certificates=file:" + pki.caCertificate(),
                      "minirpc.client.tls.certificate-chain=file:" + pki.clientCertificate(),
                      "minirpc.client.tls.private-key=file:" + pki.clientKey())
                  .run(
                      caller ->
                          assertThat(caller.getBean(Caller.class).echo.echo("over TLS"))
                              .isEqualTo("echo over TLS"));
            });
  }

  @Test
  void nothingIsMadeWithoutServicesOrAWayToFindProviders() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(RpcServer.class);
          assertThat(context).doesNotHaveBean(RpcClient.class);
          HealthIndicator health = context.getBean("minirpcHealthIndicator", HealthIndicator.class);
          assertThat(health.health().getStatus()).isEqualTo(Status.UP);
          assertThat(health.health().getDetails()).isEmpty();
        });
  }

  @Test
  void serverAndClientCanBeSwitchedOff() {
    runner
        .withUserConfiguration(Provider.class)
        .withPropertyValues(
            "minirpc.server.enabled=false",
            "minirpc.client.enabled=false",
            "minirpc.client.addresses=127.0.0.1:7070")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(RpcServer.class);
              assertThat(context).doesNotHaveBean(RpcClient.class);
            });
  }

  @Test
  void serverEnabledWithoutServicesFailsToStart() {
    runner
        .withPropertyValues("minirpc.server.enabled=true")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessage(
                        "no bean to export: none implements an @RpcService interface; set"
                            + " minirpc.server.enabled=false for no server"));
  }

  @Test
  void stubDeclaredAsBeanIsNotExported() {
    runner
        .withUserConfiguration(StubBean.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessage(
                        "no bean to export: beans [echoStub] are JDK proxies (RpcClient stubs?)"
                            + " and are not exported; set minirpc.server.enabled=false for no"
                            + " server"));
    runner
        .withUserConfiguration(StubBean.class)
        .withPropertyValues("minirpc.server.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RpcServer.class));
  }

  @Test
  void unknownSerializerFailsNamingTheProperty() {
    runner
        .withPropertyValues(
            "minirpc.client.addresses=127.0.0.1:7070", "minirpc.client.serializer=xml")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessage(
                        "minirpc.client.serializer: no serializer named 'xml'; known: [json, kryo,"
                            + " protobuf]"));
  }

  @Test
  void referenceWithoutClientFailsNamingTheField() {
    runner
        .withUserConfiguration(CallerConfiguration.class)
        .run(
            context ->
                assertThat(causeOf(context.getStartupFailure(), IllegalStateException.class))
                    .hasMessage(
                        "no RpcClient for @RpcReference io.minirpc.spring.EchoService"
                            + " io.minirpc.spring.MinirpcAutoConfigurationTest$Caller.echo: set"
                            + " minirpc.registry.connect-string or minirpc.client.addresses (and"
                            + " leave minirpc.client.enabled true), or define an RpcClient bean"));
  }

  static class BadTimeout {
    @RpcReference(timeout = "soon")
    EchoService echo;
  }

  @Test
  void referenceTimeoutThatIsNoDurationFailsNamingTheField() {
    runner
        .withBean(BadTimeout.class)
        .withPropertyValues("minirpc.client.addresses=127.0.0.1:7070")
        .run(
            context ->
                assertThat(causeOf(context.getStartupFailure(), IllegalArgumentException.class))
                    .hasMessage(
                        "@RpcReference(timeout = \"soon\") of io.minirpc.spring.EchoService"
                            + " io.minirpc.spring.MinirpcAutoConfigurationTest$BadTimeout.echo is"
                            + " not a duration such as 500ms, 2s or PT2S"));
  }

  @Test
  void healthIsDownWhileTheServerIsNotServing() {
    runner
        .withUserConfiguration(Provider.class)
        .run(
            context -> {
              HealthIndicator health =
                  context.getBean("minirpcHealthIndicator", HealthIndicator.class);
              RpcServer server = context.getBean(RpcServer.class);
              assertThat(health.health().getStatus()).isEqualTo(Status.UP);
              server.health().setStatus(Health.SERVER, ServingStatus.NOT_SERVING);
              assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
              server.health().setStatus(EchoService.class, ServingStatus.NOT_SERVING);
              server.health().setStatus(Health.SERVER, ServingStatus.SERVING);
              assertThat(health.health().getStatus()).isEqualTo(Status.UP);
              assertThat(health.health().getDetails().get("server"))
                  .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                  .containsEntry("services", java.util.Map.of("spring.test.Echo", "NOT_SERVING"));
            });
  }

  @Test
  void netty41FailsNamingTheVersionToSet() {
    runner
        .withClassLoader(new FilteredClassLoader("io.netty.channel.IoHandlerFactory"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessage(
                        "minirpc needs Netty 4.2 (io.netty.channel.IoHandlerFactory is missing):"
                            + " Spring Boot 3.5 manages Netty 4.1; set the Maven property"
                            + " netty.version to 4.2.18.Final (see docs/SPRING.md)"));
  }

  @Test
  void noHealthIndicatorWithoutActuator() {
    runner
        .withUserConfiguration(Provider.class)
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(RpcServer.class);
              assertThat(context).doesNotHaveBean("minirpcHealthIndicator");
            });
  }

  @Test
  void customizersAndInterceptorBeansApply() {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    runner
        .withUserConfiguration(Provider.class)
        .withBean(
            RpcServerCustomizer.class, () -> builder -> builder.gracePeriod(Duration.ofMillis(100)))
        .withBean(
            io.minirpc.ServerInterceptor.class,
            () ->
                (call, next) -> {
                  seen.add(call.method());
                  return next.proceed(call);
                })
        .run(
            provider -> {
              int port = provider.getBean(RpcServer.class).port();
              try (RpcClient client = RpcClient.builder().addresses("127.0.0.1:" + port).build()) {
                assertThat(client.stub(EchoService.class).echo("x")).isEqualTo("echo x");
              }
              assertThat(seen).containsExactly("echo");
            });
  }

  /** The first throwable of this type in the chain of causes. */
  private static Throwable causeOf(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in the causes of " + failure);
  }
}
