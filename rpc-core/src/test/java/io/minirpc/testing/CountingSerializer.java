package io.minirpc.testing;

import io.minirpc.MethodCodec;
import io.minirpc.MethodSignature;
import io.minirpc.Serializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real serializer that counts how many times a server asked it to decode arguments, so that a
 * test can prove a request was refused before any of its bytes were decoded.
 */
public final class CountingSerializer implements Serializer {

  private final Serializer delegate;
  private final AtomicInteger argumentReads = new AtomicInteger();

  public CountingSerializer(Serializer delegate) {
    this.delegate = delegate;
  }

  /** How many times arguments were decoded, successfully or not. */
  public int argumentReads() {
    return argumentReads.get();
  }

  @Override
  public int id() {
    return delegate.id();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Map<MethodSignature, MethodCodec> prepare(
      Class<?> serviceInterface, List<MethodSignature> methods) {
    Map<MethodSignature, MethodCodec> counted = new LinkedHashMap<>();
    delegate
        .prepare(serviceInterface, methods)
        .forEach((signature, codec) -> counted.put(signature, new CountingCodec(codec)));
    return counted;
  }

  private final class CountingCodec implements MethodCodec {
    private final MethodCodec codec;

    CountingCodec(MethodCodec codec) {
      this.codec = codec;
    }

    @Override
    public void writeArguments(Object[] arguments, OutputStream out) throws IOException {
      codec.writeArguments(arguments, out);
    }

    @Override
    public Object[] readArguments(InputStream in) throws IOException {
      argumentReads.incrementAndGet();
      return codec.readArguments(in);
    }

    @Override
    public void writeResult(Object result, OutputStream out) throws IOException {
      codec.writeResult(result, out);
    }

    @Override
    public Object readResult(InputStream in) throws IOException {
      return codec.readResult(in);
    }
  }
}
