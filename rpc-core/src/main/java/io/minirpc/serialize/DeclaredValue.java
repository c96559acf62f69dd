package io.minirpc.serialize;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.minirpc.Status;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * How one declared parameter or result travels, decided once at prepare time.
 *
 * <p>A concrete declared class that no allowed class extends is written without a class id: the
 * reader knows it from the declaration. Anything else (an interface, an abstract class, a class
 * with allowed subclasses) is written with its registration id, and the reader checks that what it
 * got is of the declared type.
 */
final class DeclaredValue {

  private static final Map<Class<?>, Class<?>> BOXES =
      Map.of(
          boolean.class, Boolean.class,
          byte.class, Byte.class,
          char.class, Character.class,
          short.class, Short.class,
          int.class, Integer.class,
          long.class, Long.class,
          float.class, Float.class,
          double.class, Double.class);

  private final Class<?> type;
  private final boolean withClassId;
  private final String description;
  private final String serviceName;

  private DeclaredValue(
      Class<?> type, boolean withClassId, String description, String serviceName) {
    this.type = type;
    this.withClassId = withClassId;
    this.description = description;
    this.serviceName = serviceName;
  }

  /**
   * Decides how a value of the declared type travels, given what the service allows.
   *
   * @param description what the value is, for messages: {@code parameter 'id' of Service.method}
   */
  static DeclaredValue of(
      Type declared, KryoAllowList allowList, String description, String serviceName) {
    Class<?> raw = KryoAllowList.erase(declared);
    if (raw.isPrimitive()) {
      return new DeclaredValue(BOXES.get(raw), false, description, serviceName);
    }
    boolean withClassId = !raw.isEnum() && allowList.hasAllowedSubtype(raw);
    boolean concrete =
        raw.isArray()
            || raw.isEnum()
            || (!raw.isInterface() && !Modifier.isAbstract(raw.getModifiers()));
    return new DeclaredValue(raw, withClassId || !concrete, description, serviceName);
  }

  void write(Kryo kryo, Output output, Object value) {
    if (withClassId) {
      kryo.writeClassAndObject(output, value);
      return;
    }
    if (value != null && value.getClass() != type && !isConstantOf(value, type)) {
      throw mismatch(value);
    }
    kryo.writeObjectOrNull(output, value, type);
  }

  Object read(Kryo kryo, Input input) {
    if (!withClassId) {
      return kryo.readObjectOrNull(input, type);
    }
    Object value = kryo.readClassAndObject(input);
    if (value != null && !type.isInstance(value)) {
      throw Status.SERIALIZATION
          .withDescription(
              "the payload holds a "
                  + value.getClass().getName()
                  + " where "
                  + description
                  + " is declared as "
                  + type.getName())
          .asException();
    }
    return value;
  }

  private static boolean isConstantOf(Object value, Class<?> type) {
    // A constant with a body is an instance of an anonymous subclass of its enum.
    return value instanceof Enum<?> constant && constant.getDeclaringClass() == type;
  }

  private RuntimeException mismatch(Object value) {
    if (type.isInstance(value)) {
      return Status.SERIALIZATION
          .withDescription(RestrictedKryo.notAllowedMessage(value.getClass(), serviceName))
          .asException();
    }
    return Status.SERIALIZATION
        .withDescription(
            description
                + " is declared as "
                + type.getName()
                + ", got "
                + value.getClass().getName())
        .asException();
  }
}
