package io.minirpc.internal.service;

import io.minirpc.RpcService;
import io.minirpc.ServiceName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One {@link RpcService} interface, checked and taken apart once: its name and a descriptor for
 * each of its remote methods. Default and static methods are not remote and are left out.
 */
public final class ServiceDescriptor {

  private final Class<?> type;
  private final ServiceName name;
  private final Map<String, MethodDescriptor> methodsByName;

  private ServiceDescriptor(Class<?> type, ServiceName name, List<MethodDescriptor> methods) {
    this.type = type;
    this.name = name;
    Map<String, MethodDescriptor> byName = new LinkedHashMap<>();
    for (MethodDescriptor m : methods) {
      byName.put(m.name(), m);
    }
    this.methodsByName = Map.copyOf(byName);
  }

  /**
   * Reads a service interface.
   *
   * @throws IllegalArgumentException if it is not an interface, is not annotated with {@link
   *     RpcService}, overloads a method name, or declares a method minirpc cannot call
   */
  public static ServiceDescriptor of(Class<?> type) {
    if (!type.isInterface()) {
      throw new IllegalArgumentException(
          type.getName() + " is not an interface; stubs and services are made from interfaces");
    }
    if (!type.isAnnotationPresent(RpcService.class)) {
      throw new IllegalArgumentException(
          type.getName() + " is not annotated with @" + RpcService.class.getSimpleName());
    }
    ServiceName name = ServiceName.of(type);
    List<Method> remote =
        Arrays.stream(type.getMethods())
            .filter(m -> !m.isDefault() && !Modifier.isStatic(m.getModifiers()))
            .sorted(Comparator.comparing(Method::getName))
            .toList();
    rejectOverloads(type, remote);
    List<MethodDescriptor> methods = new ArrayList<>(remote.size());
    for (Method m : remote) {
      methods.add(MethodDescriptor.of(name, m));
    }
    return new ServiceDescriptor(type, name, methods);
  }

  private static void rejectOverloads(Class<?> type, List<Method> methods) {
    Map<String, List<Method>> byName = new HashMap<>();
    for (Method m : methods) {
      byName.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(m);
    }
    for (List<Method> same : byName.values()) {
      if (same.size() > 1) {
        String variants =
            same.stream()
                .map(
                    m ->
                        m.getName()
                            + Arrays.stream(m.getParameterTypes())
                                .map(Class::getSimpleName)
                                .collect(Collectors.joining(", ", "(", ")")))
                .sorted()
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
            "overloaded methods are not supported, because a call names its method by name alone;"
                + " rename one of "
                + variants
                + ", for method "
                + type.getSimpleName()
                + "."
                + same.get(0).getName());
      }
    }
  }

  public Class<?> type() {
    return type;
  }

  public ServiceName name() {
    return name;
  }

  /** The remote methods, in no particular order. */
  public Collection<MethodDescriptor> methods() {
    return methodsByName.values();
  }

  /** The remote method of this name, or {@code null}. */
  public MethodDescriptor method(String name) {
    return methodsByName.get(name);
  }
}
