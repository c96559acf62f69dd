package io.minirpc.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * The invocation handler behind a stub: remote methods go to the {@link CallPipeline}; {@code
 * equals}, {@code hashCode}, {@code toString} and default methods are answered locally and never
 * sent.
 */
final class StubHandler implements InvocationHandler {

  private final Class<?> serviceInterface;
  private final Map<Method, BoundMethod> methods;
  private final CallPipeline pipeline;
  private final String description;

  StubHandler(
      Class<?> serviceInterface,
      Map<Method, BoundMethod> methods,
      CallPipeline pipeline,
      String description) {
    this.serviceInterface = serviceInterface;
    this.methods = Map.copyOf(methods);
    this.pipeline = pipeline;
    this.description = description;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    BoundMethod bound = methods.get(method);
    if (bound != null) {
      return pipeline.call(bound, args);
    }
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    return switch (method.getName()) {
      case "equals" ->
          args[0] != null
              && Proxy.isProxyClass(args[0].getClass())
              && Proxy.getInvocationHandler(args[0]) == this;
      case "hashCode" -> System.identityHashCode(this);
      case "toString" -> description;
      default ->
          throw new IllegalStateException(
              "no remote method " + method + " in " + serviceInterface.getName());
    };
  }
}
