package io.minirpc;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;

/**
 * The declared types of one service method, as a {@link Serializer} needs them.
 *
 * @param method the interface method
 * @param parameterTypes the generic parameter types, in order
 * @param resultType the type of the value the caller receives: {@code T} for a method returning
 *     {@code CompletableFuture<T>}, {@code void.class} for a {@code void} method
 */
public record MethodSignature(Method method, List<Type> parameterTypes, Type resultType) {

  public MethodSignature {
    Objects.requireNonNull(method, "method");
    parameterTypes = List.copyOf(parameterTypes);
    Objects.requireNonNull(resultType, "resultType");
  }

  /** {@code Service.method}, for messages. */
  public String displayName() {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName();
  }
}
