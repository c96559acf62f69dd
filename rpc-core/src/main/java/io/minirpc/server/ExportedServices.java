package io.minirpc.server;

import io.minirpc.MethodCodec;
import io.minirpc.Serializer;
import io.minirpc.internal.dispatch.ConcurrencyLimit;
import io.minirpc.internal.dispatch.ExportedMethod;
import io.minirpc.internal.dispatch.ExportedService;
import io.minirpc.internal.service.MethodDescriptor;
import io.minirpc.internal.service.PreparedService;
import io.minirpc.internal.service.ServiceDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server's dispatch table: the exported services by key, their methods by name, and the
 * serializers the server accepts (by id), with the reason each one refused a service it cannot
 * carry.
 */
final class ExportedServices {

  /** Wire ids run from 1 to 127. */
  static final int MAX_SERIALIZER_ID = 127;

  private final Serializer[] serializersById = new Serializer[MAX_SERIALIZER_ID + 1];
  private final Map<String, Map<String, ExportedMethod>> methodsByService = new HashMap<>();
  private final Map<String, String[]> refusalsByService = new HashMap<>();
  private final Map<String, List<String>> serializerNamesByService = new HashMap<>();
  private final List<ExportedService> exported = new ArrayList<>();

  ExportedServices(List<Serializer> serializers) {
    for (Serializer s : serializers) {
      int id = s.id();
      if (id < 1 || id > MAX_SERIALIZER_ID) {
        throw new IllegalArgumentException(
            "serializer " + s.name() + " has id " + id + "; ids run from 1 to 127");
      }
      if (serializersById[id] != null) {
        throw new IllegalArgumentException(
            "serializers "
                + serializersById[id].getClass().getName()
                + " and "
                + s.getClass().getName()
                + " both have id "
                + id);
      }
      serializersById[id] = s;
    }
  }

  /**
   * Exports one service interface of an implementation, with every serializer that can carry it.
   *
   * @throws IllegalArgumentException if the service is exported already, or no serializer of the
   *     server can carry it (the message gives each serializer's reason)
   */
  void export(ServiceDescriptor service, Object implementation) {
    export(service, implementation, 0, Map.of());
  }

  /**
   * Exports one service interface of an implementation, with limits of concurrent calls.
   *
   * @param maxServiceCalls the most calls of the service at once; 0: no limit
   * @param maxMethodCalls the most calls at once of each method named here
   * @throws IllegalArgumentException as {@link #export(ServiceDescriptor, Object)} does, or if a
   *     limit names a method the service does not have
   */
  void export(
      ServiceDescriptor service,
      Object implementation,
      int maxServiceCalls,
      Map<String, Integer> maxMethodCalls) {
    export(service, implementation, maxServiceCalls, maxMethodCalls, true);
  }

  /**
   * Exports a service every server serves by itself (its health service), with every serializer
   * that can carry it: when none can, as on a server of Protocol Buffers only, it is still
   * exported, and its calls are refused UNIMPLEMENTED with each serializer's reason, as those of a
   * service the caller's serializer cannot carry are.
   */
  void exportBuiltIn(ServiceDescriptor service, Object implementation) {
    export(service, implementation, 0, Map.of(), false);
  }

  private void export(
      ServiceDescriptor service,
      Object implementation,
      int maxServiceCalls,
      Map<String, Integer> maxMethodCalls,
      boolean requireCarrier) {
    String key = service.name().key();
    if (methodsByService.containsKey(key)) {
      throw new IllegalArgumentException("service " + key + " is exported twice");
    }
    Map<MethodDescriptor, MethodCodec[]> codecs = new LinkedHashMap<>();
    for (MethodDescriptor m : service.methods()) {
      codecs.put(m, new MethodCodec[MAX_SERIALIZER_ID + 1]);
    }
    String[] refusals = new String[MAX_SERIALIZER_ID + 1];
    List<String> reasons = new ArrayList<>();
    List<String> carriers = new ArrayList<>();
    for (Serializer s : serializersById) {
      if (s == null) {
        continue;
      }
      try {
        PreparedService prepared = PreparedService.of(service, s);
        for (MethodDescriptor m : service.methods()) {
          codecs.get(m)[s.id()] = prepared.codec(m);
        }
        carriers.add(s.name());
      } catch (IllegalArgumentException e) {
        refusals[s.id()] = e.getMessage();
        reasons.add(s.name() + ": " + e.getMessage());
      }
    }
    if (carriers.isEmpty() && requireCarrier) {
      throw new IllegalArgumentException(
          "no serializer of this server can carry service "
              + key
              + " ("
              + String.join("; ", reasons)
              + ")");
    }
    for (String name : maxMethodCalls.keySet()) {
      if (service.methods().stream().noneMatch(m -> m.name().equals(name))) {
        throw new IllegalArgumentException(
            "maxConcurrentCalls names method '" + name + "', which service " + key + " lacks");
      }
    }
    ConcurrencyLimit serviceLimit =
        maxServiceCalls > 0 ? new ConcurrencyLimit("service '" + key + "'", maxServiceCalls) : null;
    Map<String, ExportedMethod> methods = new HashMap<>();
    codecs.forEach(
        (m, byId) -> {
          Integer max = maxMethodCalls.get(m.name());
          ConcurrencyLimit methodLimit =
              max == null ? null : new ConcurrencyLimit(m.displayName(), max);
          methods.put(
              m.name(), new ExportedMethod(m, implementation, byId, serviceLimit, methodLimit));
        });
    methodsByService.put(key, Map.copyOf(methods));
    exported.add(new ExportedService(service, methods));
    refusalsByService.put(key, refusals);
    serializerNamesByService.put(key, List.copyOf(carriers));
  }

  /** The names of the serializers that can carry the service with this key. */
  List<String> serializerNames(String serviceKey) {
    return serializerNamesByService.getOrDefault(serviceKey, List.of());
  }

  /** The methods of the service with this key, or {@code null}. */
  Map<String, ExportedMethod> service(String key) {
    return methodsByService.get(key);
  }

  /** Every exported service, in the order they were exported. */
  List<ExportedService> exported() {
    return List.copyOf(exported);
  }

  /** The serializer of this id, or {@code null}. */
  Serializer serializer(int id) {
    return id < serializersById.length ? serializersById[id] : null;
  }

  /** Why a serializer the server has cannot carry a service, or {@code null} if it can. */
  String refusal(String serviceKey, int serializerId) {
    String[] refusals = refusalsByService.get(serviceKey);
    return refusals == null || serializerId >= refusals.length ? null : refusals[serializerId];
  }

  /** "kryo (1), json (3)": the serializers this server accepts, for messages. */
  String describeSerializers() {
    return java.util.Arrays.stream(serializersById)
        .filter(java.util.Objects::nonNull)
        .sorted(Comparator.comparingInt(Serializer::id))
        .map(s -> s.name() + " (" + s.id() + ")")
        .collect(Collectors.joining(", "));
  }

  /** The keys of the exported services. */
  java.util.Set<String> serviceKeys() {
    return methodsByService.keySet();
  }
}
