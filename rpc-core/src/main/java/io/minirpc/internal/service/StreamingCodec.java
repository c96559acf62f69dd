package io.minirpc.internal.service;

import io.minirpc.MethodCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The codec of a stream method, for one serializer: the request's other arguments and the result as
 * the serializer's codec of the method writes them, and each item of the request stream as the
 * single argument of the method's {@linkplain MethodDescriptor#requestItemSignature() item
 * signature}. An item of the response stream is written as the method's result.
 */
public final class StreamingCodec implements MethodCodec {

  private final MethodCodec call;
  // Null for a method without a request stream.
  private final MethodCodec requestItems;

  StreamingCodec(MethodCodec call, MethodCodec requestItems) {
    this.call = call;
    this.requestItems = requestItems;
  }

  @Override
  public void writeArguments(Object[] arguments, OutputStream out) throws IOException {
    call.writeArguments(arguments, out);
  }

  @Override
  public Object[] readArguments(InputStream in) throws IOException {
    return call.readArguments(in);
  }

  @Override
  public void writeResult(Object result, OutputStream out) throws IOException {
    call.writeResult(result, out);
  }

  @Override
  public Object readResult(InputStream in) throws IOException {
    return call.readResult(in);
  }

  /** Writes one item of the response stream. */
  public void writeResponseItem(Object item, OutputStream out) throws IOException {
    call.writeResult(item, out);
  }

  /** Reads one item of the response stream. */
  public Object readResponseItem(InputStream in) throws IOException {
    return call.readResult(in);
  }

  /** Writes one item of the request stream. */
  public void writeRequestItem(Object item, OutputStream out) throws IOException {
    requestItems.writeArguments(new Object[] {item}, out);
  }

  /** Reads one item of the request stream. */
  public Object readRequestItem(InputStream in) throws IOException {
    Object[] values = requestItems.readArguments(in);
    if (values.length != 1) {
      throw new IOException("a request stream item decoded as " + values.length + " values");
    }
    return values[0];
  }
}
