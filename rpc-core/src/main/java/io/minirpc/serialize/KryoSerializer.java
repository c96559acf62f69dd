package io.minirpc.serialize;

import com.esotericsoftware.kryo.io.Output;
import io.minirpc.MethodCodec;
import io.minirpc.MethodSignature;
import io.minirpc.Serializer;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The default {@link Serializer}: Kryo 5, restricted to the classes a service's method signatures
 * reach. Wire id {@value #ID}, name {@code "kryo"}.
 *
 * <pre>{@code
 * Serializer kryo = KryoSerializer.create();
 * Serializer withShapes = KryoSerializer.builder().register(Circle.class, Square.class).build();
 * }</pre>
 *
 * <p><b>What may travel.</b> When a service is prepared, the serializer collects every class its
 * parameter and result types reach: type arguments, array components, and the non-static,
 * non-transient fields of the service's own classes and their parents. To those it adds a fixed
 * list of JDK types (boxes, strings, primitive arrays, the common collections and maps including
 * the {@code List.of}/{@code Set.of}/{@code Map.of} and {@code Collections.empty*}/{@code
 * singleton*} ones, {@code java.time}, {@code BigDecimal}, {@code BigInteger}, {@code UUID}, {@code
 * Optional}) and the classes given to {@link Builder#register}. Kryo runs with registration
 * required, so a payload can only ever create one of these classes; Java serialization is never
 * used, and a class name on the wire is refused before any class is loaded. A string, array,
 * collection or map length read from a payload is checked against the bytes actually left before
 * anything is allocated for it, so a few hostile bytes cannot claim gigabytes of heap.
 *
 * <p><b>What is refused when a stub is made or a service exported.</b> A signature type whose
 * values could be of any class: {@code Object}, a raw collection, a wildcard or type variable
 * without a bound, and an interface or abstract class (other than a collection or map) that no
 * allowed class implements, because no class could be created for it without a class name from the
 * wire. Declaring an interface is fine once its implementations are registered. Other JDK classes
 * are refused unless registered (enums and concrete collections and maps are allowed where
 * reached), as are inner classes that need an enclosing instance. Fields are more lenient: a field
 * of type {@code Object} or of an interface is accepted, and each value in it is checked when
 * written.
 *
 * <p><b>Compatibility.</b> Registration ids are deterministic: Kryo's built-ins, then the JDK list
 * in a fixed order, then the service's classes sorted by name. Two processes agree as long as they
 * have the same versions of the interface and its classes and register the same extra classes.
 *
 * <p>A codec reads its stream to the end, which the transport bounds to the frame's body, and
 * refuses bytes after the last declared value. It is thread-safe: Kryo instances are pooled per
 * prepared service, and buffers per serializer.
 */
public final class KryoSerializer implements Serializer {

  /** The serializer's number in a frame header. */
  public static final int ID = 1;

  /** The default {@link Builder#maxDepth}. */
  public static final int DEFAULT_MAX_DEPTH = 64;

  private static final int BUFFER_SIZE = 8192;

  private final List<Class<?>> registered;
  private final int maxDepth;
  private final int poolCapacity;
  private final ObjectPool<BoundedInput> inputs;
  private final ObjectPool<Output> outputs;

  private KryoSerializer(Builder builder) {
    this.registered = List.copyOf(builder.registered);
    this.maxDepth = builder.maxDepth;
    // Instances are made on demand, so the capacity only caps what is kept. Callers' threads
    // outnumber cores (32 callers, business threads), and one preempted mid-call keeps its
    // instance: a pool smaller than the threads dropped instances on free and built new Kryos,
    // each registering every class again, in the middle of calls.
    this.poolCapacity = Math.max(64, 4 * Runtime.getRuntime().availableProcessors());
    this.inputs = new ObjectPool<>(poolCapacity, BoundedInput::new);
    this.outputs = new ObjectPool<>(poolCapacity, () -> new KryoOutput(BUFFER_SIZE));
  }

  /** A serializer with the defaults and no extra classes. */
  public static KryoSerializer create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public int id() {
    return ID;
  }

  @Override
  public String name() {
    return "kryo";
  }

  /** The extra classes allowed in every service this serializer prepares. */
  public List<Class<?>> registered() {
    return registered;
  }

  public int maxDepth() {
    return maxDepth;
  }

  @Override
  public Map<MethodSignature, MethodCodec> prepare(
      Class<?> serviceInterface, List<MethodSignature> methods) {
    Objects.requireNonNull(serviceInterface, "serviceInterface");
    Objects.requireNonNull(methods, "methods");
    KryoAllowList allowList = KryoAllowList.scan(methods, registered);
    KryoService service =
        new KryoService(
            serviceInterface.getName(), allowList, maxDepth, poolCapacity, inputs, outputs);
    Map<MethodSignature, MethodCodec> codecs = new LinkedHashMap<>();
    for (MethodSignature method : methods) {
      codecs.put(method, new KryoMethodCodec(service, method));
    }
    return Collections.unmodifiableMap(codecs);
  }

  @Override
  public String toString() {
    return "KryoSerializer{registered=" + registered + ", maxDepth=" + maxDepth + "}";
  }

  /** Configures a {@link KryoSerializer}; both sides of a call must be configured alike. */
  public static final class Builder {
    private final List<Class<?>> registered = new ArrayList<>();
    private int maxDepth = DEFAULT_MAX_DEPTH;

    private Builder() {}

    /**
     * Allows these classes in every service, besides those its signatures reach: implementations of
     * interfaces declared in signatures, subclasses, and classes held by fields of type {@code
     * Object}. Register the same classes on the client and the server: they take part in the
     * registration ids.
     *
     * @throws IllegalArgumentException if a class is primitive, an interface or abstract
     */
    public Builder register(Class<?>... classes) {
      Objects.requireNonNull(classes, "classes");
      for (Class<?> type : Arrays.asList(classes)) {
        Objects.requireNonNull(type, "classes contains null");
        if (type.isPrimitive()) {
          throw new IllegalArgumentException(
              type + " is primitive: it needs no registration with the Kryo serializer");
        }
        if (!type.isArray()
            && !type.isEnum()
            && (type.isInterface() || Modifier.isAbstract(type.getModifiers()))) {
          throw new IllegalArgumentException(
              type.getName()
                  + " is an interface or abstract: register the classes that implement it");
        }
        if (!registered.contains(type)) {
          registered.add(type);
        }
      }
      return this;
    }

    /**
     * How deeply objects may nest in one value; deeper graphs fail, on write and on read, so that a
     * hostile payload cannot exhaust the stack.
     */
    public Builder maxDepth(int maxDepth) {
      if (maxDepth < 1) {
        throw new IllegalArgumentException("maxDepth must be positive: " + maxDepth);
      }
      this.maxDepth = maxDepth;
      return this;
    }

    public KryoSerializer build() {
      return new KryoSerializer(this);
    }
  }
}
