package io.minirpc;

import java.util.Objects;

/**
 * The identity of a service on the wire and in discovery: its name and version.
 *
 * @param name the {@link RpcService#name()}, or the interface's full name
 * @param version the {@link RpcService#version()}; empty when none was given
 */
public record ServiceName(String name, String version) {

  public ServiceName {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("service name must not be empty");
    }
  }

  /** The name and version of the service an {@link RpcService} interface declares. */
  public static ServiceName of(Class<?> serviceInterface) {
    RpcService annotation = serviceInterface.getAnnotation(RpcService.class);
    if (annotation == null) {
      throw new IllegalArgumentException(
          serviceInterface.getName()
              + " is not annotated with @"
              + RpcService.class.getSimpleName());
    }
    String name = annotation.name().isEmpty() ? serviceInterface.getName() : annotation.name();
    return new ServiceName(name, annotation.version());
  }

  /** {@code name} or {@code name:version}: the key a request names its service by. */
  public String key() {
    return version.isEmpty() ? name : name + ":" + version;
  }

  @Override
  public String toString() {
    return key();
  }
}
