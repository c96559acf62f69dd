package io.minirpc.spring;

import io.minirpc.Registry;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless {@code minirpc.client.enabled} is {@code false}, when the client has a way to find
 * providers: {@code minirpc.client.addresses}, {@code minirpc.registry.connect-string}, or a {@link
 * Registry} bean.
 */
final class OnClientCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata meta) {
    if ("false".equalsIgnoreCase(context.getEnvironment().getProperty("minirpc.client.enabled"))) {
      return ConditionOutcome.noMatch("minirpc.client.enabled is false");
    }
    Binder binder = Binder.get(context.getEnvironment());
    if (binder.bind("minirpc.client.addresses", Bindable.listOf(String.class)).isBound()) {
      return ConditionOutcome.match("minirpc.client.addresses is set");
    }
    if (context.getEnvironment().containsProperty("minirpc.registry.connect-string")) {
      return ConditionOutcome.match("minirpc.registry.connect-string is set");
    }
    if (context.getBeanFactory().getBeanNamesForType(Registry.class, true, false).length > 0) {
      return ConditionOutcome.match("a Registry bean is defined");
    }
    return ConditionOutcome.noMatch(
        "no minirpc.client.addresses, no minirpc.registry.connect-string, no Registry bean");
  }
}
