package io.minirpc.internal.dispatch;

import io.minirpc.MethodCodec;
import io.minirpc.Status;
import io.minirpc.internal.service.MethodDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * One method of an exported service, ready to be called: the handle bound once to the
 * implementation, and the codec of each serializer that can carry it (by serializer id). Shared by
 * every way a server takes calls: the minirpc protocol and the REST bridge.
 */
public final class ExportedMethod {

  private static final MethodType SPREAD = MethodType.methodType(Object.class, Object[].class);

  private final MethodDescriptor descriptor;
  private final MethodHandle handle;
  private final MethodCodec[] codecsById;
  private final int parameterCount;
  private final ConcurrencyLimit serviceLimit;
  private final ConcurrencyLimit methodLimit;

  public ExportedMethod(
      MethodDescriptor descriptor, Object implementation, MethodCodec[] codecsById) {
    this(descriptor, implementation, codecsById, null, null);
  }

  /**
   * @param serviceLimit shared by the methods of the service; {@code null}: none
   * @param methodLimit this method's own; {@code null}: none
   */
  public ExportedMethod(
      MethodDescriptor descriptor,
      Object implementation,
      MethodCodec[] codecsById,
      ConcurrencyLimit serviceLimit,
      ConcurrencyLimit methodLimit) {
    this.descriptor = descriptor;
    this.serviceLimit = serviceLimit;
    this.methodLimit = methodLimit;
    this.codecsById = codecsById;
    Method method = descriptor.method();
    this.parameterCount = method.getParameterCount();
    // The interface may be package-private (a test's, say); the handle is checked here, once.
    method.setAccessible(true);
    try {
      this.handle =
          MethodHandles.lookup()
              .unreflect(method)
              .bindTo(implementation)
              .asSpreader(Object[].class, parameterCount)
              .asType(SPREAD);
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException(
          "cannot call " + descriptor.displayName() + " on " + implementation.getClass().getName(),
          e);
    }
  }

  public MethodDescriptor descriptor() {
    return descriptor;
  }

  public int parameterCount() {
    return parameterCount;
  }

  /**
   * The codec of this serializer id, or {@code null} if that serializer cannot carry the method.
   */
  public MethodCodec codec(int serializerId) {
    return serializerId < codecsById.length ? codecsById[serializerId] : null;
  }

  /**
   * Takes a slot of each limit on this method, before its call is queued; returns {@code null}, or
   * the status to refuse the call with when a limit is reached (then no slot is kept). A call
   * admitted must be answered through {@link #releasing(CallResponder)}, or, if it is never queued,
   * given back with {@link #release()}.
   */
  public Status admit() {
    if (methodLimit != null && !methodLimit.tryAcquire()) {
      return methodLimit.refusal();
    }
    if (serviceLimit != null && !serviceLimit.tryAcquire()) {
      if (methodLimit != null) {
        methodLimit.release();
      }
      return serviceLimit.refusal();
    }
    return null;
  }

  /** Gives back the slots {@link #admit()} took. */
  public void release() {
    if (methodLimit != null) {
      methodLimit.release();
    }
    if (serviceLimit != null) {
      serviceLimit.release();
    }
  }

  /** The responder, made to give back the call's slots as it answers; itself when unlimited. */
  public CallResponder releasing(CallResponder responder) {
    return methodLimit == null && serviceLimit == null
        ? responder
        : new SlotReleasingResponder(this, responder);
  }

  /** Calls the implementation; whatever it throws comes out unchanged. */
  public Object invoke(Object[] arguments) throws Throwable {
    return (Object) handle.invokeExact(arguments);
  }
}
