package io.minirpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Writes and reads the arguments and the result of one method, for one {@link Serializer}.
 *
 * <p>The streams given to these methods wrap the frame's own buffer: writes go straight into the
 * outgoing frame and reads come from the received one, bounded by the body's length. A codec must
 * not close them. Any exception thrown here fails the call with {@link Status.Code#SERIALIZATION}.
 */
public interface MethodCodec {

  /** Writes the arguments of a call, one per declared parameter; values may be {@code null}. */
  void writeArguments(Object[] arguments, OutputStream out) throws IOException;

  /** Reads what {@link #writeArguments} wrote, creating only the declared types. */
  Object[] readArguments(InputStream in) throws IOException;

  /** Writes a call's result, which may be {@code null} (always so for {@code void} methods). */
  void writeResult(Object result, OutputStream out) throws IOException;

  /** Reads what {@link #writeResult} wrote. */
  Object readResult(InputStream in) throws IOException;
}
