package io.minirpc.serialize;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.ExternalizableSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import io.minirpc.RpcException;
import io.minirpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.UUID;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * The Kryo side of one prepared service: a pool of Kryo instances that know exactly the service's
 * allow-list, and the translation of Kryo's failures into {@link Status.Code#SERIALIZATION}.
 */
final class KryoService {

  private final String serviceName;
  private final KryoAllowList allowList;
  private final int maxDepth;
  private final ObjectPool<Kryo> kryos;
  private final ObjectPool<BoundedInput> inputs;
  private final ObjectPool<Output> outputs;

  KryoService(
      String serviceName,
      KryoAllowList allowList,
      int maxDepth,
      int poolCapacity,
      ObjectPool<BoundedInput> inputs,
      ObjectPool<Output> outputs) {
    this.serviceName = serviceName;
    this.allowList = allowList;
    this.maxDepth = maxDepth;
    this.inputs = inputs;
    this.outputs = outputs;
    this.kryos = new ObjectPool<>(poolCapacity, this::newKryo);
    // The first instance is made now so that a class Kryo cannot handle fails at prepare time.
    Kryo first = newKryo();
    checkSerializers(first);
    kryos.free(first);
  }

  String serviceName() {
    return serviceName;
  }

  KryoAllowList allowList() {
    return allowList;
  }

  private Kryo newKryo() {
    Kryo kryo = new RestrictedKryo(serviceName);
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    kryo.setMaxDepth(maxDepth);
    // Value classes without a no-arg constructor are common; only allowed classes get this far.
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    // Kryo has these serializers but does not make them defaults; without them it would reach
    // into the JDK's private fields, which the module system forbids.
    kryo.addDefaultSerializer(UUID.class, DefaultSerializers.UUIDSerializer.class);
    kryo.addDefaultSerializer(URI.class, DefaultSerializers.URISerializer.class);
    int id = KryoAllowList.FIRST_BASE_ID;
    for (Class<?> type : KryoAllowList.BASE) {
      if (kryo.getClassResolver().getRegistration(type) == null) {
        kryo.register(type, id);
      }
      id++;
    }
    id = KryoAllowList.FIRST_USER_ID;
    for (Class<?> type : allowList.userClasses()) {
      try {
        kryo.register(type, id++);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "Kryo serializer cannot carry "
                + type.getName()
                + ": Kryo could not make a serializer for it ("
                + e.getMessage()
                + ")\n    for service "
                + serviceName,
            e);
      }
    }
    for (Class<?> type : KryoAllowList.BASE) {
      BoundedSerializers.bound(kryo.getRegistration(type));
    }
    for (Class<?> type : allowList.userClasses()) {
      BoundedSerializers.bound(kryo.getRegistration(type));
    }
    return kryo;
  }

  private void checkSerializers(Kryo kryo) {
    for (Class<?> type : allowList.userClasses()) {
      Registration registration = kryo.getRegistration(type);
      if (registration.getSerializer() instanceof JavaSerializer
          || registration.getSerializer() instanceof ExternalizableSerializer) {
        throw new IllegalArgumentException(
            "Kryo serializer cannot carry "
                + type.getName()
                + ": it asks for Java serialization, which the Kryo serializer never uses"
                + "\n    for service "
                + serviceName);
      }
    }
  }

  /** Writes the values with a pooled Kryo; never closes the stream. */
  void write(OutputStream out, Object[] values, DeclaredValue[] declared, String what)
      throws IOException {
    Kryo kryo = kryos.obtain();
    Output output = outputs.obtain();
    boolean clean = false;
    try {
      output.setOutputStream(out);
      for (int i = 0; i < declared.length; i++) {
        declared[i].write(kryo, output, values[i]);
      }
      output.flush();
      clean = true;
    } catch (RuntimeException e) {
      throw failure(e, "could not write " + what);
    } finally {
      output.setOutputStream(null);
      outputs.free(output);
      // A Kryo that failed half-way may hold state from the broken graph; let it go.
      if (clean) {
        kryos.free(kryo);
      }
    }
  }

  /** Reads values written by {@link #write}; never closes the stream. */
  Object[] read(InputStream in, DeclaredValue[] declared, String what) throws IOException {
    BoundedInput input = inputs.obtain();
    Kryo kryo = null;
    boolean clean = false;
    try {
      input.load(in);
      kryo = kryos.obtain();
      Object[] values = new Object[declared.length];
      for (int i = 0; i < declared.length; i++) {
        values[i] = declared[i].read(kryo, input);
      }
      if (input.position() != input.limit()) {
        // More values than declared, or garbage: a writer of the same service never adds any.
        throw Status.SERIALIZATION
            .withDescription(
                "could not read "
                    + what
                    + ": "
                    + (input.limit() - input.position())
                    + " bytes follow the last declared value")
            .asException();
      }
      clean = true;
      return values;
    } catch (RuntimeException e) {
      throw failure(e, "could not read " + what);
    } finally {
      input.clear();
      inputs.free(input);
      if (kryo != null && clean) {
        kryos.free(kryo);
      }
    }
  }

  private static RuntimeException failure(RuntimeException e, String what) throws IOException {
    if (e instanceof RpcException) {
      return e;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof RestrictedKryo.NotAllowedException notAllowed) {
        return Status.SERIALIZATION.withDescription(notAllowed.getMessage()).asException(e);
      }
      if (cause instanceof IOException io && e instanceof KryoException) {
        // The stream itself failed: that is the transport's story, not the payload's.
        throw io;
      }
    }
    return Status.SERIALIZATION.withDescription(what + ": " + e.getMessage()).asException(e);
  }
}
