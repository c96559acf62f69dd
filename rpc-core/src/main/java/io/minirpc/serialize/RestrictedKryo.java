package io.minirpc.serialize;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import java.lang.reflect.Modifier;

/**
 * A Kryo that knows only the classes registered on it: an unregistered class fails with {@link
 * NotAllowedException} instead of Kryo's generic message, and a class name on the wire is refused
 * before any class is loaded.
 */
final class RestrictedKryo extends Kryo {

  private final String serviceName;

  RestrictedKryo(String serviceName) {
    super(new IdOnlyClassResolver(), null);
    this.serviceName = serviceName;
  }

  // Kryo calls this right before throwing when registration is required and a class is missing;
  // throwing our own exception here lets the codec find it under Kryo's serialization traces.
  @Override
  protected String unregisteredClassMessage(@SuppressWarnings("rawtypes") Class type) {
    throw new NotAllowedException(notAllowedMessage(type, serviceName));
  }

  static String notAllowedMessage(Class<?> type, String serviceName) {
    String prefix =
        "class "
            + type.getName()
            + " is not allowed by the Kryo serializer of service "
            + serviceName;
    if (KryoAllowList.isJdk(type) && !Modifier.isPublic(type.getModifiers())) {
      // Such as Collections.unmodifiableList(..): no one can name it, let alone register it.
      return prefix
          + ": it is a JDK-internal class; send a copy in an allowed one instead, such as"
          + " ArrayList, HashMap or List.copyOf(..)";
    }
    String sourceName = type.getCanonicalName() == null ? type.getName() : type.getCanonicalName();
    return prefix
        + ": it is not reachable from the service's method signatures; register it on both sides"
        + " with KryoSerializer.builder().register("
        + sourceName
        + ".class)";
  }

  /** A value's class is outside the allow-list of the service. */
  static final class NotAllowedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAllowedException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Resolves classes by registration id only. Kryo's default resolver also accepts a class name
   * from the wire and loads it before it checks the registration; a payload must never get that
   * far.
   */
  private static final class IdOnlyClassResolver extends DefaultClassResolver {
    @Override
    protected Registration readName(Input input) {
      throw new KryoException("the payload names a class by name, which is never accepted");
    }
  }
}
