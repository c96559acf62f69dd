package io.minirpc.serialize;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.minirpc.MethodCodec;
import io.minirpc.MethodSignature;
import io.minirpc.RpcException;
import io.minirpc.Serializer;
import io.minirpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Serializer} for services whose parameters and results are all Protocol Buffers messages:
 * generated subclasses of {@link Message}, each read by its own generated parser.
 *
 * <pre>{@code
 * RpcClient client =
 *     RpcClient.builder()
 *         .serializer(ProtobufSerializer.builder().maxMessageSize(1 << 20).build())
 *         .build();
 * }</pre>
 *
 * <p>{@link #prepare} refuses a method with any other parameter or result type; {@code void} (and
 * {@code Void}) results are allowed. Each value is written as:
 *
 * <pre>
 * +----------+-----------------+------------------+
 * | presence | length          | message          |
 * | 1 byte   | varint, 1-5 B   | length bytes     |
 * +----------+-----------------+------------------+
 *   presence 0: the value is null, and nothing follows
 *   presence 1: a length-delimited message follows
 *
 * arguments:  value(p0) value(p1) ... value(pN-1)   no count: N is the declared parameter count;
 *                                                  nothing may follow the last value
 * result:     value(result)                        a void method writes presence 0
 * </pre>
 *
 * <p>A message longer than {@link Builder#maxMessageSize} is refused when written and when read,
 * before its bytes are parsed; messages nested deeper than {@link Builder#maxNestingDepth} are
 * refused too.
 */
public final class ProtobufSerializer implements Serializer {

  private static final int DEFAULT_MAX_MESSAGE_SIZE = 8 * 1024 * 1024;

  /** Protocol Buffers' own default: how deeply messages (and groups) may nest. */
  private static final int DEFAULT_MAX_NESTING_DEPTH = 100;

  /** Room for a value's presence byte and length varint on top of the message itself. */
  /** protobuf-java's own default buffer size for streams. */
  private static final int STREAM_BUFFER_SIZE = 4096;

  private static final int VALUE_OVERHEAD = 1 + CodedOutputStream.computeUInt32SizeNoTag(-1);

  private static final byte ABSENT = 0;
  private static final byte PRESENT = 1;

  private final int maxMessageSize;
  private final int maxNestingDepth;

  private ProtobufSerializer(Builder builder) {
    this.maxMessageSize = builder.maxMessageSize;
    this.maxNestingDepth = builder.maxNestingDepth;
  }

  /** A protobuf serializer with messages of up to 8 MiB. */
  public static ProtobufSerializer create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public int id() {
    return 2;
  }

  @Override
  public String name() {
    return "protobuf";
  }

  /** The largest message, in bytes, this serializer writes or reads. */
  public int maxMessageSize() {
    return maxMessageSize;
  }

  /** How deeply messages may nest in a value this serializer reads. */
  public int maxNestingDepth() {
    return maxNestingDepth;
  }

  @Override
  public Map<MethodSignature, MethodCodec> prepare(
      Class<?> serviceInterface, List<MethodSignature> methods) {
    Objects.requireNonNull(serviceInterface, "serviceInterface");
    Map<MethodSignature, MethodCodec> codecs = new LinkedHashMap<>();
    for (MethodSignature signature : methods) {
      codecs.put(signature, prepare(signature));
    }
    return Map.copyOf(codecs);
  }

  private ProtobufMethodCodec prepare(MethodSignature signature) {
    List<Type> parameterTypes = signature.parameterTypes();
    MessageType[] parameters = new MessageType[parameterTypes.size()];
    for (int i = 0; i < parameters.length; i++) {
      parameters[i] = messageType(signature, "parameter " + i, parameterTypes.get(i));
    }
    Type resultType = signature.resultType();
    MessageType result =
        resultType == void.class || resultType == Void.class
            ? null
            : messageType(signature, "the result", resultType);
    return new ProtobufMethodCodec(
        signature.displayName(), parameters, result, maxMessageSize, maxNestingDepth);
  }

  private static MessageType messageType(MethodSignature signature, String what, Type type) {
    String prefix = signature.displayName() + ": " + what + " has type " + type.getTypeName();
    if (!(type instanceof Class<?> raw) || !Message.class.isAssignableFrom(raw)) {
      throw new IllegalArgumentException(
          prefix + "; the protobuf serializer carries only com.google.protobuf.Message types");
    }
    if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
      throw new IllegalArgumentException(
          prefix
              + ", which is not a concrete message class; the protobuf serializer carries only"
              + " generated com.google.protobuf.Message classes");
    }
    try {
      Method getDefaultInstance = raw.getMethod("getDefaultInstance");
      if (!Modifier.isStatic(getDefaultInstance.getModifiers())) {
        throw new NoSuchMethodException(raw.getName() + ".getDefaultInstance() is not static");
      }
      Message defaultInstance = (Message) getDefaultInstance.invoke(null);
      return new MessageType(raw, defaultInstance.getParserForType());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException(
          prefix
              + ", which has no static getDefaultInstance(); the protobuf serializer carries only"
              + " generated com.google.protobuf.Message classes",
          e);
    }
  }

  /** Builds a {@link ProtobufSerializer}; every setting is optional. */
  public static final class Builder {

    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private int maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH;

    private Builder() {}

    /**
     * The largest message, in bytes, written or read; 8 MiB by default. The limit applies to each
     * argument and to the result on its own.
     */
    public Builder maxMessageSize(int maxMessageSize) {
      if (maxMessageSize <= 0) {
        throw new IllegalArgumentException(
            "maxMessageSize must be positive, but was " + maxMessageSize);
      }
      this.maxMessageSize = maxMessageSize;
      return this;
    }

    /**
     * How deeply messages, and groups of unknown fields, may nest in a value read; 100 by default,
     * as in Protocol Buffers. Deeper payloads fail with SERIALIZATION instead of exhausting the
     * stack of the thread that decodes them.
     */
    public Builder maxNestingDepth(int maxNestingDepth) {
      if (maxNestingDepth <= 0) {
        throw new IllegalArgumentException(
            "maxNestingDepth must be positive, but was " + maxNestingDepth);
      }
      this.maxNestingDepth = maxNestingDepth;
      return this;
    }

    public ProtobufSerializer build() {
      return new ProtobufSerializer(this);
    }
  }

  /** A message class and its parser, looked up once at prepare. */
  private record MessageType(Class<?> type, Parser<? extends Message> parser) {}

  /** The prepared parsers of one method; immutable, so shared by all threads. */
  private static final class ProtobufMethodCodec implements MethodCodec {

    private final String method;
    private final MessageType[] parameters;
    private final MessageType result;
    private final int maxMessageSize;
    private final int maxNestingDepth;
    private final int valueSizeLimit;

    ProtobufMethodCodec(
        String method,
        MessageType[] parameters,
        MessageType result,
        int maxMessageSize,
        int maxNestingDepth) {
      this.method = method;
      this.parameters = parameters;
      this.result = result;
      this.maxMessageSize = maxMessageSize;
      this.maxNestingDepth = maxNestingDepth;
      this.valueSizeLimit =
          maxMessageSize > Integer.MAX_VALUE - VALUE_OVERHEAD
              ? Integer.MAX_VALUE
              : maxMessageSize + VALUE_OVERHEAD;
    }

    @Override
    public void writeArguments(Object[] arguments, OutputStream out) {
      int count = arguments == null ? 0 : arguments.length;
      if (count != parameters.length) {
        throw failure(
            "could not write the arguments of "
                + method
                + ": expected "
                + parameters.length
                + ", got "
                + count,
            null);
      }
      int size = 0;
      for (Object argument : arguments) {
        size += encodedSize(argument);
      }
      CodedOutputStream coded = CodedOutputStream.newInstance(out, bufferSize(size));
      for (int i = 0; i < count; i++) {
        write(coded, parameters[i], arguments[i], "argument " + i);
      }
      flush(coded, "the arguments");
    }

    @Override
    public Object[] readArguments(InputStream in) {
      CodedInputStream coded = CodedInputStream.newInstance(in, bufferSize(available(in)));
      coded.setSizeLimit(valueSizeLimit);
      coded.setRecursionLimit(maxNestingDepth);
      Object[] arguments = new Object[parameters.length];
      for (int i = 0; i < arguments.length; i++) {
        arguments[i] = read(coded, parameters[i], "argument " + i);
      }
      checkAtEnd(coded, "the arguments");
      return arguments;
    }

    @Override
    public void writeResult(Object value, OutputStream out) {
      CodedOutputStream coded =
          CodedOutputStream.newInstance(out, bufferSize(result == null ? 1 : encodedSize(value)));
      if (result == null) {
        try {
          coded.writeRawByte(ABSENT);
        } catch (IOException e) {
          throw failure("could not write the result of " + method + ": " + e.getMessage(), e);
        }
      } else {
        write(coded, result, value, "the result");
      }
      flush(coded, "the result");
    }

    @Override
    public Object readResult(InputStream in) {
      CodedInputStream coded = CodedInputStream.newInstance(in, bufferSize(available(in)));
      coded.setSizeLimit(valueSizeLimit);
      coded.setRecursionLimit(maxNestingDepth);
      Object value;
      if (result == null) {
        try {
          if (coded.readRawByte() != ABSENT) {
            throw failure(
                "could not read the result of " + method + ": expected none for a void method",
                null);
          }
        } catch (IOException e) {
          throw failure("could not read the result of " + method + ": " + e.getMessage(), e);
        }
        value = null;
      } else {
        value = read(coded, result, "the result");
      }
      checkAtEnd(coded, "the result");
      return value;
    }

    /** The bytes {@link #write} produces for a value; only sizes a buffer, so a wrong type is 1. */
    private static int encodedSize(Object value) {
      if (!(value instanceof Message message)) {
        return 1;
      }
      int size = message.getSerializedSize();
      return 1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }

    /**
     * The codec's own buffer, sized to the body up to protobuf's default of 4 KiB: a fixed 4 KiB
     * buffer on each side of every call was most of the serializer's allocation for small calls.
     */
    private static int bufferSize(int bytes) {
      return Math.max(1, Math.min(bytes, STREAM_BUFFER_SIZE));
    }

    /**
     * The body's size as the stream knows it (exact for the transports' ByteBufInputStream and
     * ByteArrayInputStream); protobuf's default when the stream cannot tell.
     */
    private static int available(InputStream in) {
      try {
        int available = in.available();
        return available > 0 ? available : STREAM_BUFFER_SIZE;
      } catch (IOException e) {
        return STREAM_BUFFER_SIZE;
      }
    }

    private void write(CodedOutputStream coded, MessageType type, Object value, String what) {
      if (value != null && !type.type().isInstance(value)) {
        throw failure(
            "could not write "
                + what
                + " of "
                + method
                + ": expected "
                + type.type().getName()
                + ", got "
                + value.getClass().getName(),
            null);
      }
      try {
        if (value == null) {
          coded.writeRawByte(ABSENT);
          return;
        }
        Message message = (Message) value;
        int size = message.getSerializedSize();
        if (size > maxMessageSize) {
          throw failure(
              "could not write "
                  + what
                  + " of "
                  + method
                  + ": the message is "
                  + size
                  + " bytes, over the limit of "
                  + maxMessageSize,
              null);
        }
        coded.writeRawByte(PRESENT);
        coded.writeUInt32NoTag(size);
        message.writeTo(coded);
      } catch (IOException e) {
        throw failure("could not write " + what + " of " + method + ": " + e.getMessage(), e);
      }
    }

    private Message read(CodedInputStream coded, MessageType type, String what) {
      // The size limit counts from here, so it bounds each value rather than the whole body.
      coded.resetSizeCounter();
      try {
        byte presence = coded.readRawByte();
        if (presence == ABSENT) {
          return null;
        }
        if (presence != PRESENT) {
          throw failure(
              "could not read " + what + " of " + method + ": bad presence byte " + presence, null);
        }
        int size = coded.readRawVarint32();
        if (size < 0 || size > maxMessageSize) {
          throw failure(
              "could not read "
                  + what
                  + " of "
                  + method
                  + ": the message is "
                  + Integer.toUnsignedString(size)
                  + " bytes, over the limit of "
                  + maxMessageSize,
              null);
        }
        int outerLimit = coded.pushLimit(size);
        Message message = type.parser().parseFrom(coded, ExtensionRegistryLite.getEmptyRegistry());
        // A generated parser also stops at an end-group tag, which would leave bytes unread.
        coded.checkLastTagWas(0);
        if (coded.getBytesUntilLimit() != 0) {
          throw failure(
              "could not read " + what + " of " + method + ": the message ends early", null);
        }
        coded.popLimit(outerLimit);
        return message;
      } catch (RpcException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw failure(
            "could not read "
                + what
                + " of "
                + method
                + " as "
                + type.type().getName()
                + ": "
                + e.getMessage(),
            e);
      }
    }

    private void checkAtEnd(CodedInputStream coded, String what) {
      boolean atEnd;
      // Without a fresh count, a last value close to the limit would hide the bytes after it.
      coded.resetSizeCounter();
      try {
        atEnd = coded.isAtEnd();
      } catch (IOException e) {
        throw failure("could not read " + what + " of " + method + ": " + e.getMessage(), e);
      }
      if (!atEnd) {
        throw failure(
            "could not read " + what + " of " + method + ": bytes follow the last value", null);
      }
    }

    private void flush(CodedOutputStream coded, String what) {
      try {
        coded.flush();
      } catch (IOException e) {
        throw failure("could not write " + what + " of " + method + ": " + e.getMessage(), e);
      }
    }

    private static RpcException failure(String description, Throwable cause) {
      return Status.SERIALIZATION.withDescription(description).asException(cause);
    }
  }
}
