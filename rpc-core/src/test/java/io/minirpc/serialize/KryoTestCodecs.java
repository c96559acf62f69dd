package io.minirpc.serialize;

import io.minirpc.MethodCodec;
import io.minirpc.MethodSignature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A writer and a reader prepared separately for the same interface, as a client and a server in two
 * processes would be, so that a round trip proves their registration ids agree.
 */
final class KryoTestCodecs {

  private final Map<String, MethodCodec> writer;
  private final Map<String, MethodCodec> reader;

  KryoTestCodecs(Class<?> service, KryoSerializer writer, KryoSerializer reader) {
    this.writer = byName(writer, service);
    this.reader = byName(reader, service);
  }

  static KryoTestCodecs of(Class<?> service) {
    return new KryoTestCodecs(service, KryoSerializer.create(), KryoSerializer.create());
  }

  /** The signatures a stub would hand over: generic types, futures unwrapped. */
  static List<MethodSignature> signatures(Class<?> service) {
    return Arrays.stream(service.getMethods())
        .sorted(Comparator.comparing(Method::getName))
        .map(m -> new MethodSignature(m, List.of(m.getGenericParameterTypes()), resultType(m)))
        .toList();
  }

  static Map<String, MethodCodec> byName(KryoSerializer serializer, Class<?> service) {
    Map<String, MethodCodec> codecs = new HashMap<>();
    serializer
        .prepare(service, signatures(service))
        .forEach((signature, codec) -> codecs.put(signature.method().getName(), codec));
    return codecs;
  }

  MethodCodec writer(String method) {
    return writer.get(method);
  }

  MethodCodec reader(String method) {
    return reader.get(method);
  }

  byte[] writeArguments(String method, Object... arguments) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.get(method).writeArguments(arguments, out);
    return out.toByteArray();
  }

  Object[] readArguments(String method, byte[] bytes) throws IOException {
    return reader.get(method).readArguments(new ByteArrayInputStream(bytes));
  }

  Object[] arguments(String method, Object... arguments) throws IOException {
    return readArguments(method, writeArguments(method, arguments));
  }

  byte[] writeResult(String method, Object result) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.get(method).writeResult(result, out);
    return out.toByteArray();
  }

  Object readResult(String method, byte[] bytes) throws IOException {
    return reader.get(method).readResult(new ByteArrayInputStream(bytes));
  }

  Object result(String method, Object result) throws IOException {
    return readResult(method, writeResult(method, result));
  }

  private static Type resultType(Method method) {
    Type type = method.getGenericReturnType();
    if (type instanceof ParameterizedType p && p.getRawType() == CompletableFuture.class) {
      return p.getActualTypeArguments()[0];
    }
    return type;
  }
}
