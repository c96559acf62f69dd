package io.minirpc.serialize;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.minirpc.MethodCodec;
import io.minirpc.MethodSignature;
import io.minirpc.RpcException;
import io.minirpc.Serializer;
import io.minirpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link Serializer} that carries arguments and results as UTF-8 JSON text, through Jackson.
 *
 * <pre>{@code
 * RpcClient client = RpcClient.builder().serializer(JsonSerializer.create()).build();
 * }</pre>
 *
 * <p>Every value is read as the declared type of its parameter or result, and nothing else: the
 * serializer never uses Jackson's default typing, and {@link #prepare} refuses a method whose
 * values would need a class name from the wire, that is a parameter or result declared as {@code
 * Object}, or a type that reaches {@link JsonTypeInfo} with {@code Id.CLASS} or {@code
 * Id.MINIMAL_CLASS} on itself or on a property, however deeply nested. An {@code Object} nested
 * inside a declared type, as in {@code Map<String, Object>}, is allowed: without default typing
 * Jackson reads it only as plain maps, lists, strings, numbers and booleans.
 *
 * <p>Wire layout of a body:
 *
 * <pre>
 * arguments:  [ a0 , a1 , ... , aN-1 ]   one JSON array with exactly one element per declared
 *                                        parameter, in order; nothing may follow it
 * result:     v                          one JSON value; {@code null} for a void method and for a
 *                                        null result; nothing may follow it
 * </pre>
 *
 * <p>The parser runs under pinned {@link StreamReadConstraints} (nesting depth 500, strings of 20
 * Mi characters, numbers of 1000 characters, property names of 50,000 characters) rather than
 * Jackson's defaults, which have changed between releases and can be overridden process-wide by any
 * library. The depth limit keeps a hostile payload from exhausting the stack of the thread that
 * decodes it; the number limit bounds the quadratic cost of parsing huge {@code BigInteger}s; the
 * string limit lets a value of several MiB through while staying within a frame's size.
 */
public final class JsonSerializer implements Serializer {

  private static final int MAX_NESTING_DEPTH = 500;
  private static final int MAX_STRING_LENGTH = 20 * 1024 * 1024;
  private static final int MAX_NUMBER_LENGTH = 1000;
  private static final int MAX_NAME_LENGTH = 50_000;

  private static final StreamReadConstraints DEFAULT_READ_CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING_DEPTH)
          .maxStringLength(MAX_STRING_LENGTH)
          .maxNumberLength(MAX_NUMBER_LENGTH)
          .maxNameLength(MAX_NAME_LENGTH)
          .build();

  private final ObjectMapper mapper;

  private JsonSerializer(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** A JSON serializer with the default mapper described by {@link Builder#mapper}. */
  public static JsonSerializer create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public int id() {
    return 3;
  }

  @Override
  public String name() {
    return "json";
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

  private JsonMethodCodec prepare(MethodSignature signature) {
    List<Type> parameterTypes = signature.parameterTypes();
    ObjectWriter[] writers = new ObjectWriter[parameterTypes.size()];
    ObjectReader[] readers = new ObjectReader[parameterTypes.size()];
    for (int i = 0; i < writers.length; i++) {
      JavaType type = checkedType(signature, "parameter " + i, parameterTypes.get(i));
      writers[i] = writerFor(type);
      readers[i] = readerFor(type);
    }
    Type resultType = signature.resultType();
    ObjectWriter resultWriter = null;
    ObjectReader resultReader = null;
    if (resultType != void.class && resultType != Void.class) {
      JavaType type = checkedType(signature, "the result", resultType);
      resultWriter = writerFor(type);
      resultReader = readerFor(type);
    }
    return new JsonMethodCodec(
        signature.displayName(), mapper, writers, readers, resultWriter, resultReader);
  }

  private ObjectWriter writerFor(JavaType type) {
    // Flushing after each value would push every argument to the frame's buffer separately.
    return mapper.writerFor(type).without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
  }

  private ObjectReader readerFor(JavaType type) {
    // Arguments are read one element at a time from a shared parser; the codec checks the end.
    return mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  private JavaType checkedType(MethodSignature signature, String what, Type declared) {
    JavaType type = mapper.getTypeFactory().constructType(declared);
    String reason = null;
    if (type.isJavaLangObject()) {
      reason = "";
    } else {
      String found = classNameTypeInfo(type, new HashSet<>());
      if (found != null) {
        reason = " (" + found + ")";
      }
    }
    if (reason != null) {
      throw new IllegalArgumentException(
          signature.displayName()
              + ": "
              + what
              + " has type "
              + declared.getTypeName()
              + ", which would need a class name from the wire"
              + reason
              + "; the JSON serializer reads values only as their declared types");
    }
    return type;
  }

  /**
   * Where {@code type} or anything it contains takes a class name from the wire, or {@code null}.
   * Walks the properties Jackson would deserialize, because a class name on a nested property is as
   * dangerous as one on the parameter itself.
   */
  private String classNameTypeInfo(JavaType type, Set<JavaType> seen) {
    if (type == null || type.isPrimitive() || !seen.add(type)) {
      return null;
    }
    if (type.isContainerType() || type.isReferenceType()) {
      String found = classNameTypeInfo(type.getKeyType(), seen);
      return found != null ? found : classNameTypeInfo(type.getContentType(), seen);
    }
    DeserializationConfig config = mapper.getDeserializationConfig();
    JsonTypeInfo classInfo =
        config.introspectClassAnnotations(type).getClassAnnotations().get(JsonTypeInfo.class);
    if (usesClassNames(classInfo)) {
      return type.getRawClass().getName() + " uses @JsonTypeInfo(use = Id." + classInfo.use() + ")";
    }
    if (type.isEnumType() || type.getRawClass().getName().startsWith("java.")) {
      return null;
    }
    for (BeanPropertyDefinition property : config.introspect(type).findProperties()) {
      for (AnnotatedMember member :
          Arrays.asList(
              property.getField(),
              property.getGetter(),
              property.getSetter(),
              property.getConstructorParameter())) {
        JsonTypeInfo info = member == null ? null : member.getAnnotation(JsonTypeInfo.class);
        if (usesClassNames(info)) {
          return "property '"
              + property.getName()
              + "' of "
              + type.getRawClass().getName()
              + " uses @JsonTypeInfo(use = Id."
              + info.use()
              + ")";
        }
      }
      String found = classNameTypeInfo(property.getPrimaryType(), seen);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static boolean usesClassNames(JsonTypeInfo info) {
    return info != null
        && (info.use() == JsonTypeInfo.Id.CLASS || info.use() == JsonTypeInfo.Id.MINIMAL_CLASS);
  }

  /** Builds a {@link JsonSerializer}; every setting is optional. */
  public static final class Builder {

    private ObjectMapper mapper;
    private StreamReadConstraints readConstraints = DEFAULT_READ_CONSTRAINTS;

    private Builder() {}

    /**
     * The mapper to start from. It is copied, never changed, and the copy is adjusted so that it
     * never closes the frame's streams and parses under this builder's {@link #readConstraints}.
     *
     * <p>Java time types: if the mapper has no {@link JavaTimeModule} registered, the copy gets
     * one, with dates and durations written as ISO-8601 strings. A mapper that already registers
     * {@code JavaTimeModule} is taken as configured for time on purpose, and its date features are
     * kept as they are.
     *
     * <p>Without this setting the mapper is a plain {@link JsonMapper} with {@code JavaTimeModule},
     * ISO-8601 dates and durations, and unknown properties ignored, so a peer with an older copy of
     * a class still reads what a newer one writes.
     *
     * <p>{@link #build()} refuses a mapper that writes another format than JSON or has default
     * typing activated.
     */
    public Builder mapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * The limits the parser enforces on what it reads; see the class description for the defaults
     * and why they are pinned.
     */
    public Builder readConstraints(StreamReadConstraints readConstraints) {
      this.readConstraints = Objects.requireNonNull(readConstraints, "readConstraints");
      return this;
    }

    public JsonSerializer build() {
      ObjectMapper configured;
      if (mapper == null) {
        configured =
            JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .build();
      } else {
        configured = copyOf(mapper);
        if (!configured.getRegisteredModuleIds().contains(new JavaTimeModule().getTypeId())) {
          configured.registerModule(new JavaTimeModule());
          configured.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
          configured.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        }
      }
      configured.getFactory().setStreamReadConstraints(readConstraints);
      // The streams wrap the frame's buffer, which the transport owns and releases.
      configured.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
      configured.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      return new JsonSerializer(configured);
    }

    private static ObjectMapper copyOf(ObjectMapper mapper) {
      String format = mapper.getFactory().getFormatName();
      if (!"JSON".equals(format)) {
        throw new IllegalArgumentException(
            "the mapper writes " + format + ", but the JSON serializer must write JSON");
      }
      if (mapper.getDeserializationConfig().getDefaultTyper(null) != null
          || mapper.getSerializationConfig().getDefaultTyper(null) != null) {
        throw new IllegalArgumentException(
            "the mapper has default typing activated, which reads class names from the wire;"
                + " the JSON serializer reads values only as their declared types");
      }
      return mapper.copy();
    }
  }

  /** The prepared readers and writers of one method; immutable, so shared by all threads. */
  private static final class JsonMethodCodec implements MethodCodec {

    private final String method;
    private final ObjectMapper mapper;
    private final ObjectWriter[] argumentWriters;
    private final ObjectReader[] argumentReaders;
    private final ObjectWriter resultWriter;
    private final ObjectReader resultReader;

    JsonMethodCodec(
        String method,
        ObjectMapper mapper,
        ObjectWriter[] argumentWriters,
        ObjectReader[] argumentReaders,
        ObjectWriter resultWriter,
        ObjectReader resultReader) {
      this.method = method;
      this.mapper = mapper;
      this.argumentWriters = argumentWriters;
      this.argumentReaders = argumentReaders;
      this.resultWriter = resultWriter;
      this.resultReader = resultReader;
    }

    @Override
    public void writeArguments(Object[] arguments, OutputStream out) {
      int count = arguments == null ? 0 : arguments.length;
      if (count != argumentWriters.length) {
        throw failure(
            "could not write the arguments of "
                + method
                + ": expected "
                + argumentWriters.length
                + ", got "
                + count,
            null);
      }
      int i = -1;
      try (JsonGenerator generator = mapper.createGenerator(out, JsonEncoding.UTF8)) {
        generator.writeStartArray();
        for (i = 0; i < count; i++) {
          argumentWriters[i].writeValue(generator, arguments[i]);
        }
        generator.writeEndArray();
      } catch (IOException | RuntimeException e) {
        String what = i >= 0 && i < count ? "argument " + i : "the arguments";
        throw failure("could not write " + what + " of " + method + detail(e), e);
      }
    }

    @Override
    public Object[] readArguments(InputStream in) {
      int expected = argumentReaders.length;
      Object[] arguments = new Object[expected];
      int i = -1;
      try (JsonParser parser = mapper.createParser(in)) {
        if (parser.nextToken() != JsonToken.START_ARRAY) {
          throw failure(
              "could not read the arguments of "
                  + method
                  + ": expected a JSON array of "
                  + expected
                  + " arguments",
              null);
        }
        for (i = 0; i < expected; i++) {
          if (parser.nextToken() == JsonToken.END_ARRAY) {
            throw countMismatch(expected, Integer.toString(i));
          }
          arguments[i] = argumentReaders[i].readValue(parser);
        }
        if (parser.nextToken() != JsonToken.END_ARRAY) {
          throw countMismatch(expected, "more");
        }
        if (parser.nextToken() != null) {
          throw failure(
              "could not read the arguments of " + method + ": content after the array", null);
        }
        return arguments;
      } catch (RpcException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        String what = i >= 0 && i < expected ? "argument " + i : "the arguments";
        throw failure("could not read " + what + " of " + method + detail(e), e);
      }
    }

    private RpcException countMismatch(int expected, String got) {
      return failure(
          "could not read the arguments of "
              + method
              + ": expected "
              + expected
              + " arguments, got "
              + got,
          null);
    }

    @Override
    public void writeResult(Object result, OutputStream out) {
      try (JsonGenerator generator = mapper.createGenerator(out, JsonEncoding.UTF8)) {
        if (resultWriter == null) {
          generator.writeNull();
        } else {
          resultWriter.writeValue(generator, result);
        }
      } catch (IOException | RuntimeException e) {
        throw failure("could not write the result of " + method + detail(e), e);
      }
    }

    @Override
    public Object readResult(InputStream in) {
      try (JsonParser parser = mapper.createParser(in)) {
        JsonToken first = parser.nextToken();
        if (first == null) {
          throw failure("could not read the result of " + method + ": no JSON value", null);
        }
        Object result;
        if (resultReader != null) {
          result = resultReader.readValue(parser);
        } else if (first == JsonToken.VALUE_NULL) {
          result = null;
        } else {
          throw failure(
              "could not read the result of " + method + ": expected null for a void method", null);
        }
        if (parser.nextToken() != null) {
          throw failure(
              "could not read the result of " + method + ": content after the value", null);
        }
        return result;
      } catch (RpcException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw failure("could not read the result of " + method + detail(e), e);
      }
    }

    private static String detail(Exception e) {
      // Jackson's own message repeats the source location and input excerpt; the cause keeps them.
      String message =
          e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
      return message == null ? "" : ": " + message;
    }

    private static RpcException failure(String description, Throwable cause) {
      return Status.SERIALIZATION.withDescription(description).asException(cause);
    }
  }
}
