package io.minirpc.internal.service;

import io.minirpc.CallTimeout;
import io.minirpc.Idempotent;
import io.minirpc.MethodSignature;
import io.minirpc.OneWay;
import io.minirpc.ServiceName;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * What a caller and a server need to know of one service method, worked out once from its
 * declaration: its keys on the wire (already encoded), its declared types, whether it is
 * asynchronous or one-way, and its own timeout.
 */
public final class MethodDescriptor {

  private final ServiceName service;
  // Null for a generic call, which has no interface on the caller's side.
  private final Method method;
  private final String name;
  private final String displayName;
  private final MethodSignature signature;
  private final String serviceKey;
  private final byte[] serviceKeyBytes;
  private final byte[] methodKeyBytes;
  private final boolean async;
  private final boolean oneWay;
  private final boolean idempotent;
  private final Duration timeout;
  // The parameter that is a Flow.Publisher of the request stream's items; -1 when none.
  private final int requestStreamIndex;
  // How a serializer sees one item of the request stream: the only argument of a call; or null.
  private final MethodSignature requestItemSignature;
  private final boolean responseStream;

  private MethodDescriptor(ServiceName service, Method method) {
    this.service = service;
    this.method = method;
    this.name = method.getName();
    this.displayName = method.getDeclaringClass().getSimpleName() + "." + method.getName();
    this.async = method.getReturnType() == CompletableFuture.class;
    this.responseStream = method.getReturnType() == Flow.Publisher.class;
    this.oneWay = method.isAnnotationPresent(OneWay.class);
    this.idempotent = method.isAnnotationPresent(Idempotent.class);
    this.requestStreamIndex = requestStreamIndexOf(method);
    List<Type> parameterTypes = new ArrayList<>(Arrays.asList(method.getGenericParameterTypes()));
    if (requestStreamIndex >= 0) {
      // The items travel in frames of their own; the request carries the other arguments.
      Type itemType = itemTypeOf(parameterTypes.remove(requestStreamIndex), "parameter");
      this.requestItemSignature = new MethodSignature(method, List.of(itemType), void.class);
    } else {
      this.requestItemSignature = null;
    }
    this.signature = new MethodSignature(method, parameterTypes, resultTypeOf(method));
    this.serviceKey = service.key();
    this.serviceKeyBytes = serviceKey.getBytes(StandardCharsets.UTF_8);
    this.methodKeyBytes = method.getName().getBytes(StandardCharsets.UTF_8);
    CallTimeout callTimeout = method.getAnnotation(CallTimeout.class);
    this.timeout = callTimeout == null ? null : Duration.ofMillis(callTimeout.millis());
    validate(callTimeout);
  }

  /** A generic call's method: known by name only, neither one-way nor idempotent, no timeout. */
  private MethodDescriptor(ServiceName service, String methodName, boolean async) {
    this.service = service;
    this.method = null;
    this.name = methodName;
    this.displayName = service.key() + "/" + methodName;
    this.async = async;
    this.oneWay = false;
    this.idempotent = false;
    this.signature = null;
    this.serviceKey = service.key();
    this.serviceKeyBytes = serviceKey.getBytes(StandardCharsets.UTF_8);
    this.methodKeyBytes = methodName.getBytes(StandardCharsets.UTF_8);
    this.timeout = null;
    this.requestStreamIndex = -1;
    this.requestItemSignature = null;
    this.responseStream = false;
  }

  static MethodDescriptor of(ServiceName service, Method method) {
    return new MethodDescriptor(service, method);
  }

  /**
   * The method of a generic call, made by a caller without the service's interface: it has no
   * {@link #method()} and no {@link #signature()} (both {@code null}), and its display name is
   * {@code serviceKey/method}. The caller knows nothing of {@code Idempotent}, {@code OneWay} or
   * {@code CallTimeout}, so it is taken as none of them.
   */
  public static MethodDescriptor generic(ServiceName service, String methodName, boolean async) {
    return new MethodDescriptor(service, methodName, async);
  }

  private Type resultTypeOf(Method m) {
    if (responseStream) {
      return itemTypeOf(m.getGenericReturnType(), "result");
    }
    if (!async) {
      return m.getGenericReturnType();
    }
    Type returnType = m.getGenericReturnType();
    if (!(returnType instanceof ParameterizedType parameterized)) {
      throw invalid("a CompletableFuture result must declare its value type");
    }
    Type valueType = parameterized.getActualTypeArguments()[0];
    // CompletableFuture<Void> completes with null, just as a void method returns nothing.
    return valueType == Void.class ? void.class : valueType;
  }

  private int requestStreamIndexOf(Method m) {
    int index = -1;
    Class<?>[] types = m.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      if (types[i] == Flow.Publisher.class) {
        if (index >= 0) {
          throw invalid("a method takes at most one Flow.Publisher: a call has one request stream");
        }
        index = i;
      }
    }
    return index;
  }

  /** The item type {@code T} of a {@code Flow.Publisher<T>}, which must be a concrete type. */
  private Type itemTypeOf(Type publisher, String where) {
    if (!(publisher instanceof ParameterizedType parameterized)) {
      throw invalid("a Flow.Publisher " + where + " must declare its item type");
    }
    Type item = parameterized.getActualTypeArguments()[0];
    if (item instanceof WildcardType) {
      throw invalid(
          "a Flow.Publisher "
              + where
              + " must declare a concrete item type, not "
              + item.getTypeName());
    }
    if (item == Void.class) {
      throw invalid("a Flow.Publisher " + where + " of Void carries nothing");
    }
    return item;
  }

  private void validate(CallTimeout callTimeout) {
    if (method.getTypeParameters().length > 0) {
      throw invalid("generic methods are not supported: the wire carries no type arguments");
    }
    if (containsTypeVariable(signature.resultType())
        || signature.parameterTypes().stream().anyMatch(MethodDescriptor::containsTypeVariable)
        || (requestItemSignature != null
            && containsTypeVariable(requestItemSignature.parameterTypes().get(0)))) {
      throw invalid("type variables are not supported: the wire carries no type arguments");
    }
    if (oneWay && isStreaming()) {
      throw invalid("@OneWay methods cannot stream: a stream needs its caller");
    }
    if (oneWay && method.getReturnType() != void.class) {
      throw invalid(
          "@OneWay methods must return void, not " + method.getGenericReturnType().getTypeName());
    }
    if (callTimeout != null && callTimeout.millis() <= 0) {
      throw invalid("@CallTimeout must be positive, not " + callTimeout.millis());
    }
  }

  private static boolean containsTypeVariable(Type type) {
    if (type instanceof TypeVariable<?>) {
      return true;
    }
    if (type instanceof ParameterizedType p) {
      return Arrays.stream(p.getActualTypeArguments())
          .anyMatch(MethodDescriptor::containsTypeVariable);
    }
    if (type instanceof WildcardType w) {
      return Arrays.stream(w.getUpperBounds()).anyMatch(MethodDescriptor::containsTypeVariable)
          || Arrays.stream(w.getLowerBounds()).anyMatch(MethodDescriptor::containsTypeVariable);
    }
    return false;
  }

  private IllegalArgumentException invalid(String reason) {
    return new IllegalArgumentException(reason + ", for method " + displayName());
  }

  public ServiceName service() {
    return service;
  }

  public Method method() {
    return method;
  }

  public String name() {
    return name;
  }

  /** {@code Service.method}, for messages; {@code serviceKey/method} for a generic call. */
  public String displayName() {
    return displayName;
  }

  public MethodSignature signature() {
    return signature;
  }

  public List<Type> parameterTypes() {
    return signature.parameterTypes();
  }

  /** The service key: {@code name} or {@code name:version}, as {@link ServiceName#key()}. */
  public String serviceKey() {
    return serviceKey;
  }

  /** The service key in UTF-8, as it is written into every request. Do not modify. */
  public byte[] serviceKeyBytes() {
    return serviceKeyBytes;
  }

  /** The method key in UTF-8, as it is written into every request. Do not modify. */
  public byte[] methodKeyBytes() {
    return methodKeyBytes;
  }

  /** Whether the method returns a {@code CompletableFuture}. */
  public boolean isAsync() {
    return async;
  }

  /** Whether calls of the method are stream calls: it takes or returns a {@code Flow.Publisher}. */
  public boolean isStreaming() {
    return requestStreamIndex >= 0 || responseStream;
  }

  /** Whether the caller sends a stream of items: a parameter is a {@code Flow.Publisher}. */
  public boolean hasRequestStream() {
    return requestStreamIndex >= 0;
  }

  /** Which parameter is the request stream's publisher; -1 when the method has none. */
  public int requestStreamIndex() {
    return requestStreamIndex;
  }

  /**
   * How a serializer sees one item of the request stream: the single argument of a call returning
   * nothing; {@code null} for a method without a request stream.
   */
  public MethodSignature requestItemSignature() {
    return requestItemSignature;
  }

  /**
   * Whether the method returns a {@code Flow.Publisher}: its result is a stream of items, each
   * written as the {@link #signature()}'s result.
   */
  public boolean hasResponseStream() {
    return responseStream;
  }

  public boolean isOneWay() {
    return oneWay;
  }

  /** Whether the method may run more than once for one call: see {@link Idempotent}. */
  public boolean isIdempotent() {
    return idempotent;
  }

  /** The method's own timeout from {@link CallTimeout}, if it has one. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  @Override
  public String toString() {
    return displayName();
  }
}
