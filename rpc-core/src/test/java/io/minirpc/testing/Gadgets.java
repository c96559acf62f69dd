package io.minirpc.testing;

import com.esotericsoftware.kryo.io.Output;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.minirpc.MethodCodec;
import io.minirpc.MethodSignature;
import io.minirpc.RpcService;
import io.minirpc.Serializer;
import io.minirpc.serialize.KryoSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deserialization gadgets, by name, and the payloads that name them where a value of a declared
 * type is expected, for tests that prove a payload can never pick the class it creates.
 *
 * <p>The JDK gadgets are the classic ones of Java deserialization exploit chains; the {@code
 * Sentinel} is this project's own, whose class initialization and construction are counted. It is
 * never referenced in code, only by name, so that nothing but a payload could load it.
 */
public final class Gadgets {

  private Gadgets() {}

  /** Counts initializations of the sentinel class: a payload that loaded it would show here. */
  public static final AtomicInteger SENTINEL_INITIALIZED = new AtomicInteger();

  /** Counts instances of the sentinel class. */
  public static final AtomicInteger SENTINEL_CREATED = new AtomicInteger();

  public static final String SENTINEL = "io.minirpc.testing.Gadgets$Sentinel";

  /** Class names of gadgets: JDK ones (URL, TemplatesImpl, ...), a JDK proxy, and the sentinel. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "java.net.URL",
          "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
          "java.util.PriorityQueue",
          "javax.management.BadAttributeValueExpException",
          "java.lang.reflect.Proxy",
          "jdk.proxy1.$Proxy7",
          "com.sun.proxy.$Proxy7",
          SENTINEL);

  /** Stands for a class whose mere initialization would be an attack. */
  static final class Sentinel {
    static {
      SENTINEL_INITIALIZED.incrementAndGet();
    }

    public String value;

    Sentinel() {
      SENTINEL_CREATED.incrementAndGet();
    }
  }

  /** A service whose declared types leave room for a class name: an {@code Object} field. */
  @RpcService(name = "test.Inbox")
  public interface Inbox {
    int open(Envelope envelope);

    double area(Shape shape);
  }

  public record Envelope(String label, Object payload) {}

  /** An interface: Kryo writes a registration id for it, JSON a type name. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  @JsonSubTypes({@JsonSubTypes.Type(value = Circle.class, name = "circle")})
  public interface Shape {}

  public record Circle(double radius) implements Shape {}

  /** Counts the calls that reached it. */
  public static final class InboxImpl implements Inbox {
    public final AtomicInteger calls = new AtomicInteger();

    @Override
    public int open(Envelope envelope) {
      return calls.incrementAndGet();
    }

    @Override
    public double area(Shape shape) {
      calls.incrementAndGet();
      return shape instanceof Circle c ? Math.PI * c.radius() * c.radius() : -1;
    }
  }

  /** The Kryo serializer both sides of {@link Inbox} use: it allows {@link Circle}. */
  public static KryoSerializer kryo() {
    return KryoSerializer.builder().register(Circle.class).build();
  }

  /**
   * The Kryo arguments of {@code open}: a real envelope whose {@code payload} names a class on the
   * wire, where a writer of this service puts a registration id.
   */
  public static byte[] kryoEnvelopeNaming(String className) throws IOException {
    byte[] real = kryoArguments("open", new Envelope("x", null));
    // The real envelope ends with the payload's class marker: 0, null.
    return join(Arrays.copyOf(real, real.length - 1), className(className));
  }

  /** The Kryo arguments of {@code area}: a shape that names its class instead of an id. */
  public static byte[] kryoShapeNaming(String className) {
    return className(className);
  }

  /** The Kryo arguments of {@code open}: an envelope whose payload has this registration id. */
  public static byte[] kryoEnvelopeWithClassId(int id) throws IOException {
    byte[] real = kryoArguments("open", new Envelope("x", null));
    Output output = new Output(8);
    output.writeVarInt(id + 2, true);
    return join(Arrays.copyOf(real, real.length - 1), output.toBytes());
  }

  /** Kryo's marker for "a class name follows" (1), then the name. */
  private static byte[] className(String name) {
    Output output = new Output(256);
    output.writeVarInt(1, true);
    output.writeString(name);
    return output.toBytes();
  }

  private static byte[] kryoArguments(String method, Object... arguments) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    codec(kryo(), method).writeArguments(arguments, out);
    return out.toByteArray();
  }

  /** The codec of one method of {@link Inbox}, as a stub or a server would prepare it. */
  public static MethodCodec codec(Serializer serializer, String method) {
    List<MethodSignature> signatures =
        Arrays.stream(Inbox.class.getMethods())
            .map(
                m ->
                    new MethodSignature(
                        m, List.of(m.getGenericParameterTypes()), m.getGenericReturnType()))
            .toList();
    Map<MethodSignature, MethodCodec> codecs = serializer.prepare(Inbox.class, signatures);
    for (MethodSignature signature : signatures) {
      Method m = signature.method();
      if (m.getName().equals(method)) {
        return codecs.get(signature);
      }
    }
    throw new IllegalArgumentException("no method " + method);
  }

  /**
   * JSON arguments of {@code open} and {@code area} that name each class the ways JSON libraries
   * with polymorphic typing read them: a class property, a type wrapper array, a type id.
   */
  public static List<JsonPayload> jsonPayloads(String className) {
    return List.of(
        new JsonPayload(
            "open",
            "[{\"label\":\"x\",\"payload\":{\"@class\":\"" + className + "\",\"value\":\"v\"}}]",
            false),
        new JsonPayload(
            "open",
            "[{\"label\":\"x\",\"payload\":[\"" + className + "\",{\"value\":\"v\"}]}]",
            false),
        new JsonPayload("open", "[[\"" + className + "\",{\"label\":\"x\"}]]", true),
        new JsonPayload("open", "[{\"label\":{\"@class\":\"" + className + "\"}}]", true),
        new JsonPayload("area", "[{\"@type\":\"" + className + "\",\"radius\":1}]", true),
        new JsonPayload("area", "[[\"" + className + "\",{\"radius\":1}]]", true));
  }

  /**
   * A JSON payload for a method of {@link Inbox}; {@code refused} when it cannot be read as the
   * declared types at all (else it is read as plain data: maps, lists, strings).
   */
  public record JsonPayload(String method, String json, boolean refused) {}

  private static byte[] join(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
