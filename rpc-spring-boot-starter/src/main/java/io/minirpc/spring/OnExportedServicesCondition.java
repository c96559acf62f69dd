package io.minirpc.spring;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code minirpc.server.enabled} is {@code true}, or is unset and a bean defined so
 * far (the application's own beans come before any auto-configuration) implements an {@code
 * RpcService} interface. Like {@code @ConditionalOnBean}, it reads the beans' types without
 * creating them.
 */
final class OnExportedServicesCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata meta) {
    String enabled = context.getEnvironment().getProperty("minirpc.server.enabled");
    if ("false".equalsIgnoreCase(enabled)) {
      return ConditionOutcome.noMatch("minirpc.server.enabled is false");
    }
    if ("true".equalsIgnoreCase(enabled)) {
      return ConditionOutcome.match("minirpc.server.enabled is true");
    }
    ConfigurableListableBeanFactory beans = context.getBeanFactory();
    for (String name : beans.getBeanDefinitionNames()) {
      if (exportable(beans, name)) {
        return ConditionOutcome.match("bean '" + name + "' implements an @RpcService interface");
      }
    }
    return ConditionOutcome.noMatch("no bean implements an @RpcService interface");
  }

  /** Whether the bean of this name is a singleton whose type implements a service interface. */
  static boolean exportable(ConfigurableListableBeanFactory beans, String name) {
    BeanDefinition definition = beans.getBeanDefinition(name);
    if (definition.isAbstract() || !definition.isSingleton()) {
      return false;
    }
    Class<?> type = beans.getType(name, false);
    return type != null && !ServiceInterfaces.of(type).isEmpty();
  }
}
