package io.minirpc.spring;

import io.minirpc.CallOptions;
import io.minirpc.client.RpcClient;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.PropertyValues;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.BeanDefinitionHolder;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.beans.factory.support.AutowireCandidateResolver;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.ReflectionUtils;

/**
 * Gives every {@link RpcReference} a stub of the application's {@link RpcClient}: fields when each
 * bean's properties are set, as {@code @Resource} fields are; constructor and {@code @Bean} method
 * parameters (and {@code @Autowired} ones) through the bean factory's autowire candidate resolver,
 * which this wraps so that it suggests the stub before any bean is looked for, as it suggests a
 * {@code @Value}.
 *
 * <p>Stubs are made on first use and shared by the references of the same interface and options.
 * The client is looked up then, so that it is created like any other bean and only when some
 * reference needs it.
 */
final class RpcReferenceBeanPostProcessor
    implements InstantiationAwareBeanPostProcessor, BeanFactoryAware {

  private record StubKey(Class<?> type, String timeout) {}

  private final Map<StubKey, Object> stubs = new ConcurrentHashMap<>();
  private final Map<Class<?>, List<Field>> referenceFields = new ConcurrentHashMap<>();
  private BeanFactory beanFactory;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
    // Bean post-processors are made before any ordinary bean: every constructor sees the wrapper.
    if (beanFactory instanceof DefaultListableBeanFactory factory
        && !(factory.getAutowireCandidateResolver() instanceof ReferenceResolver)) {
      factory.setAutowireCandidateResolver(
          new ReferenceResolver(factory.getAutowireCandidateResolver(), this));
    }
  }

  @Override
  public PropertyValues postProcessProperties(PropertyValues pvs, Object bean, String beanName) {
    for (Field field : referenceFields.computeIfAbsent(bean.getClass(), this::findFields)) {
      RpcReference reference = field.getAnnotation(RpcReference.class);
      Object stub;
      try {
        stub = stub(field.getType(), reference, field.toString());
      } catch (RuntimeException e) {
        throw new BeanCreationException(
            beanName, "cannot inject @RpcReference field " + field.getName(), e);
      }
      ReflectionUtils.makeAccessible(field);
      ReflectionUtils.setField(field, bean, stub);
    }
    return pvs;
  }

  private List<Field> findFields(Class<?> type) {
    List<Field> fields = new ArrayList<>();
    ReflectionUtils.doWithFields(
        type,
        field -> {
          if (Modifier.isStatic(field.getModifiers())) {
            throw new IllegalStateException(
                "@RpcReference is not supported on static fields: " + field);
          }
          fields.add(field);
        },
        field -> field.isAnnotationPresent(RpcReference.class));
    return List.copyOf(fields);
  }

  /**
   * The shared stub of this interface with the reference's options.
   *
   * @throws IllegalArgumentException if the timeout is not a duration
   * @throws IllegalStateException if the application has no client
   */
  Object stub(Class<?> type, RpcReference reference, String injectionPoint) {
    StubKey key = new StubKey(type, reference.timeout());
    Object stub = stubs.get(key);
    if (stub != null) {
      return stub;
    }
    CallOptions options = CallOptions.DEFAULT;
    if (!key.timeout().isEmpty()) {
      Duration timeout;
      try {
        timeout = DurationStyle.detectAndParse(key.timeout());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "@RpcReference(timeout = \""
                + key.timeout()
                + "\") of "
                + injectionPoint
                + " is not a duration such as 500ms, 2s or PT2S",
            e);
      }
      options = options.withTimeout(timeout);
    }
    // The client is looked up outside the map's lock: making it may make other beans.
    RpcClient client = client(injectionPoint);
    CallOptions chosen = options;
    return stubs.computeIfAbsent(key, k -> client.stub(k.type(), chosen));
  }

  private RpcClient client(String injectionPoint) {
    try {
      return beanFactory.getBean(RpcClient.class);
    } catch (NoSuchBeanDefinitionException e) {
      throw new IllegalStateException(
          "no RpcClient for @RpcReference "
              + injectionPoint
              + ": set minirpc.registry.connect-string or minirpc.client.addresses (and leave"
              + " minirpc.client.enabled true), or define an RpcClient bean",
          e);
    }
  }

  /** Suggests a stub for a dependency marked {@link RpcReference}; delegates everything else. */
  private record ReferenceResolver(
      AutowireCandidateResolver delegate, RpcReferenceBeanPostProcessor references)
      implements AutowireCandidateResolver {

    @Override
    public Object getSuggestedValue(DependencyDescriptor descriptor) {
      RpcReference reference = descriptor.getAnnotation(RpcReference.class);
      if (reference == null) {
        return delegate.getSuggestedValue(descriptor);
      }
      String injectionPoint =
          descriptor.getField() != null
              ? descriptor.getField().toString()
              : descriptor.getMethodParameter().toString();
      return references.stub(descriptor.getDependencyType(), reference, injectionPoint);
    }

    @Override
    public boolean isAutowireCandidate(BeanDefinitionHolder holder, DependencyDescriptor d) {
      return delegate.isAutowireCandidate(holder, d);
    }

    @Override
    public boolean isRequired(DependencyDescriptor descriptor) {
      return delegate.isRequired(descriptor);
    }

    @Override
    public boolean hasQualifier(DependencyDescriptor descriptor) {
      return delegate.hasQualifier(descriptor);
    }

    @Override
    public String getSuggestedName(DependencyDescriptor descriptor) {
      return delegate.getSuggestedName(descriptor);
    }

    @Override
    public Object getLazyResolutionProxyIfNecessary(DependencyDescriptor d, String beanName) {
      return delegate.getLazyResolutionProxyIfNecessary(d, beanName);
    }

    @Override
    public Class<?> getLazyResolutionProxyClass(DependencyDescriptor d, String beanName) {
      return delegate.getLazyResolutionProxyClass(d, beanName);
    }

    @Override
    public AutowireCandidateResolver cloneIfNecessary() {
      return new ReferenceResolver(delegate.cloneIfNecessary(), references);
    }
  }
}
