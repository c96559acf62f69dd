package io.minirpc.internal.dispatch;

import io.minirpc.internal.service.ServiceDescriptor;
import java.util.Map;

/** One service a server exports: its descriptor, and its methods ready to be called, by name. */
public record ExportedService(ServiceDescriptor descriptor, Map<String, ExportedMethod> methods) {

  public ExportedService {
    methods = Map.copyOf(methods);
  }
}
