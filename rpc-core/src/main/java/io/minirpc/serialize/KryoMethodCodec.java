package io.minirpc.serialize;

import io.minirpc.MethodCodec;
import io.minirpc.MethodSignature;
import io.minirpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.List;

/**
 * The Kryo codec of one method: each argument, then the result, written against its declared type
 * as {@link DeclaredValue} decided at prepare time. A {@code void} result takes no bytes.
 */
final class KryoMethodCodec implements MethodCodec {

  private static final Object[] NO_ARGUMENTS = {};
  private static final DeclaredValue[] NO_VALUES = {};

  private final KryoService service;
  private final String displayName;
  private final DeclaredValue[] parameters;
  private final DeclaredValue[] result;
  private final String argumentsLabel;
  private final String resultLabel;

  KryoMethodCodec(KryoService service, MethodSignature signature) {
    this.service = service;
    this.displayName = signature.displayName();
    this.argumentsLabel = "the arguments of " + displayName;
    this.resultLabel = "the result of " + displayName;
    List<Type> types = signature.parameterTypes();
    Parameter[] declared = signature.method().getParameters();
    this.parameters = new DeclaredValue[types.size()];
    for (int i = 0; i < parameters.length; i++) {
      String name = i < declared.length ? declared[i].getName() : "#" + i;
      parameters[i] =
          DeclaredValue.of(
              types.get(i),
              service.allowList(),
              "parameter '" + name + "' of " + displayName,
              service.serviceName());
    }
    Type resultType = signature.resultType();
    this.result =
        resultType == void.class || resultType == Void.class
            ? NO_VALUES
            : new DeclaredValue[] {
              DeclaredValue.of(
                  resultType,
                  service.allowList(),
                  "the result of " + displayName,
                  service.serviceName())
            };
  }

  @Override
  public void writeArguments(Object[] arguments, OutputStream out) throws IOException {
    // A proxy passes null for a method without parameters.
    Object[] values = arguments == null ? NO_ARGUMENTS : arguments;
    if (values.length != parameters.length) {
      throw Status.SERIALIZATION
          .withDescription(
              displayName + " takes " + parameters.length + " arguments, got " + values.length)
          .asException();
    }
    service.write(out, values, parameters, argumentsLabel);
  }

  @Override
  public Object[] readArguments(InputStream in) throws IOException {
    if (parameters.length == 0) {
      return NO_ARGUMENTS;
    }
    return service.read(in, parameters, argumentsLabel);
  }

  @Override
  public void writeResult(Object value, OutputStream out) throws IOException {
    if (result.length == 0) {
      return;
    }
    service.write(out, new Object[] {value}, result, resultLabel);
  }

  @Override
  public Object readResult(InputStream in) throws IOException {
    if (result.length == 0) {
      return null;
    }
    return service.read(in, result, resultLabel)[0];
  }
}
