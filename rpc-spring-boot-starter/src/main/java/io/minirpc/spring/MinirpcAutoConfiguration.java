package io.minirpc.spring;

import io.minirpc.ClientInterceptor;
import io.minirpc.LoadBalancer;
import io.minirpc.Registry;
import io.minirpc.Serializer;
import io.minirpc.ServerInterceptor;
import io.minirpc.client.RpcClient;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import io.minirpc.server.RpcServer;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of minirpc, bound to the {@code minirpc.*} properties ({@link
 * MinirpcProperties}; docs/SPRING.md):
 *
 * <ul>
 *   <li>a {@link ZooKeeperRegistry} when {@code minirpc.registry.connect-string} is set, shared by
 *       the server and the client;
 *   <li>an {@link RpcServer} exporting every singleton bean that implements an {@code @RpcService}
 *       interface, when there is one (or {@code minirpc.server.enabled=true}); it starts with the
 *       context and closes gracefully when the context stops ({@link RpcServerLifecycle});
 *   <li>an {@link RpcClient} when it has a registry or {@code minirpc.client.addresses}, whose
 *       stubs fill the {@link RpcReference} fields and parameters;
 *   <li>with Spring Boot Actuator, the {@code minirpc} health indicator.
 * </ul>
 *
 * <p>Beans of the application take part: {@link Serializer}s (replacing the default one of the same
 * name), a {@link LoadBalancer}, {@link ServerInterceptor}s and {@link ClientInterceptor}s (in
 * {@code @Order}), {@link RpcServerCustomizer}s and {@link RpcClientCustomizer}s. A {@link
 * Registry}, {@link RpcServer} or {@link RpcClient} bean of its own replaces the one made here.
 */
@AutoConfiguration
@EnableConfigurationProperties(MinirpcProperties.class)
public class MinirpcAutoConfiguration {

  static final String SERVER_BEAN = "minirpcServer";

  /** A class of Netty 4.2 that minirpc's transport is built on, missing from Netty 4.1. */
  private static final String NETTY_4_2_CLASS = "io.netty.channel.IoHandlerFactory";

  /**
   * @throws IllegalStateException if the application has Netty 4.1, as Spring Boot 3.5's dependency
   *     management gives it unless told otherwise
   */
  MinirpcAutoConfiguration(ApplicationContext context) {
    if (!ClassUtils.isPresent(NETTY_4_2_CLASS, context.getClassLoader())) {
      throw new IllegalStateException(
          "minirpc needs Netty 4.2 ("
              + NETTY_4_2_CLASS
              + " is missing): Spring Boot 3.5 manages Netty 4.1; set the Maven property"
              + " netty.version to 4.2.18.Final (see docs/SPRING.md)");
    }
  }

  @Bean
  static RpcReferenceBeanPostProcessor minirpcReferenceBeanPostProcessor() {
    return new RpcReferenceBeanPostProcessor();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Registry.class)
  @ConditionalOnProperty("minirpc.registry.connect-string")
  ZooKeeperRegistry minirpcRegistry(MinirpcProperties properties) {
    return PropertyMapping.registry(properties.registry());
  }

  @Bean
  @ConditionalOnMissingBean(RpcServer.class)
  @Conditional(OnExportedServicesCondition.class)
  RpcServerLifecycle minirpcServerLifecycle(
      MinirpcProperties properties,
      ConfigurableListableBeanFactory beans,
      ObjectProvider<Registry> registry,
      ObjectProvider<Serializer> serializers,
      ObjectProvider<ServerInterceptor> interceptors,
      ObjectProvider<RpcServerCustomizer> customizers) {
    RpcServer.Builder builder = RpcServer.builder();
    PropertyMapping.server(properties.server(), builder, serializers.orderedStream().toList());
    registry.ifAvailable(builder::registry);
    interceptors.orderedStream().forEach(builder::intercept);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return RpcServerLifecycle.of(beans, SERVER_BEAN, builder);
  }

  /** The server of {@link #minirpcServerLifecycle}, for the application to read its port. */
  @Bean(name = SERVER_BEAN, destroyMethod = "close")
  @ConditionalOnBean(RpcServerLifecycle.class)
  RpcServer minirpcServer(RpcServerLifecycle lifecycle) {
    return lifecycle.server();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(RpcClient.class)
  @Conditional(OnClientCondition.class)
  RpcClient minirpcClient(
      MinirpcProperties properties,
      ObjectProvider<Registry> registry,
      ObjectProvider<Serializer> serializers,
      ObjectProvider<LoadBalancer> loadBalancer,
      ObjectProvider<ClientInterceptor> interceptors,
      ObjectProvider<RpcClientCustomizer> customizers) {
    RpcClient.Builder builder = RpcClient.builder();
    List<String> addresses = properties.client().addresses();
    if (addresses != null && !addresses.isEmpty()) {
      builder.addresses(addresses.toArray(String[]::new));
    } else {
      builder.registry(registry.getObject());
    }
    PropertyMapping.client(properties.client(), builder, serializers.orderedStream().toList());
    loadBalancer.ifUnique(builder::loadBalancer);
    interceptors.orderedStream().forEach(builder::intercept);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /** The {@code minirpc} health indicator, with Spring Boot Actuator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnProperty(
      value = "management.health.minirpc.enabled",
      havingValue = "true",
      matchIfMissing = true)
  static class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "minirpcHealthIndicator")
    MinirpcHealthIndicator minirpcHealthIndicator(
        ObjectProvider<RpcServerLifecycle> server, ObjectProvider<RpcClient> client) {
      return new MinirpcHealthIndicator(server.getIfAvailable(), client.getIfAvailable());
    }
  }
}
