package io.minirpc.internal.service;

import io.minirpc.MethodCodec;
import io.minirpc.MethodSignature;
import io.minirpc.Serializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The codecs one serializer prepared for one service's methods. */
public final class PreparedService {

  private final ServiceDescriptor service;
  private final Serializer serializer;
  private final Map<MethodSignature, MethodCodec> codecs;

  private PreparedService(
      ServiceDescriptor service, Serializer serializer, Map<MethodSignature, MethodCodec> codecs) {
    this.service = service;
    this.serializer = serializer;
    this.codecs = Map.copyOf(codecs);
  }

  /**
   * Asks a serializer to prepare a service's methods.
   *
   * @throws IllegalArgumentException if the serializer cannot carry one of the methods' types
   */
  public static PreparedService of(ServiceDescriptor service, Serializer serializer) {
    List<MethodSignature> signatures = new ArrayList<>();
    for (MethodDescriptor method : service.methods()) {
      signatures.add(method.signature());
      if (method.hasRequestStream()) {
        signatures.add(method.requestItemSignature());
      }
    }
    Map<MethodSignature, MethodCodec> prepared = serializer.prepare(service.type(), signatures);
    for (MethodSignature signature : signatures) {
      if (prepared.get(signature) == null) {
        throw new IllegalStateException(
            "serializer "
                + serializer.name()
                + " prepared no codec for method "
                + signature.displayName());
      }
    }
    // A stream method's codec knows its items too; the rest are the serializer's own.
    Map<MethodSignature, MethodCodec> codecs = new HashMap<>();
    for (MethodDescriptor method : service.methods()) {
      MethodCodec codec = prepared.get(method.signature());
      if (method.isStreaming()) {
        codec =
            new StreamingCodec(
                codec,
                method.hasRequestStream() ? prepared.get(method.requestItemSignature()) : null);
      }
      codecs.put(method.signature(), codec);
    }
    return new PreparedService(service, serializer, codecs);
  }

  public ServiceDescriptor service() {
    return service;
  }

  public Serializer serializer() {
    return serializer;
  }

  public MethodCodec codec(MethodDescriptor method) {
    return codecs.get(method.signature());
  }
}
