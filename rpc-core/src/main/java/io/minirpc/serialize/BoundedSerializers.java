package io.minirpc.serialize;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Replacements for the Kryo serializers that allocate from a length read off the wire: each checks
 * the length against the bytes left (see {@link BoundedInput}) before allocating.
 */
final class BoundedSerializers {

  private BoundedSerializers() {}

  /** Swaps the registration's serializer for a bounded one where Kryo's would pre-allocate. */
  static void bound(Registration registration) {
    Serializer<?> serializer = registration.getSerializer();
    Class<?> type = registration.getType();
    if (type.isArray()) {
      registration.setSerializer(new LengthCheckedArray(serializer));
    } else if (serializer.getClass() == CollectionSerializer.class) {
      registration.setSerializer(new BoundedCollection(CollectionKind.MUTABLE));
    } else if (serializer instanceof ImmutableCollectionsSerializers.JdkImmutableListSerializer) {
      registration.setSerializer(new BoundedCollection(CollectionKind.IMMUTABLE_LIST));
    } else if (serializer instanceof ImmutableCollectionsSerializers.JdkImmutableSetSerializer) {
      registration.setSerializer(new BoundedCollection(CollectionKind.IMMUTABLE_SET));
    } else if (serializer instanceof DefaultSerializers.ArraysAsListSerializer) {
      registration.setSerializer(new BoundedCollection(CollectionKind.ARRAYS_AS_LIST));
    } else if (serializer.getClass() == MapSerializer.class) {
      registration.setSerializer(new BoundedMap(false));
    } else if (serializer instanceof ImmutableCollectionsSerializers.JdkImmutableMapSerializer) {
      registration.setSerializer(new BoundedMap(true));
    }
  }

  /**
   * Wraps an array serializer; every Kryo array format starts with the length plus one as a
   * positive varint, which is peeked at and checked before the delegate allocates the array.
   */
  private static final class LengthCheckedArray extends Serializer<Object> {
    private final Serializer<Object> delegate;

    @SuppressWarnings("unchecked")
    LengthCheckedArray(Serializer<?> delegate) {
      super(delegate.getAcceptsNull(), delegate.isImmutable());
      this.delegate = (Serializer<Object>) delegate;
    }

    @Override
    public void write(Kryo kryo, Output output, Object array) {
      delegate.write(kryo, output, array);
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
      int start = input.position();
      int lengthPlusOne = input.readVarInt(true);
      input.setPosition(start);
      BoundedInput.checkLength(input, lengthPlusOne - 1L, "an array");
      return delegate.read(kryo, input, type);
    }
  }

  private enum CollectionKind {
    MUTABLE,
    IMMUTABLE_LIST,
    IMMUTABLE_SET,
    ARRAYS_AS_LIST
  }

  /**
   * Kryo's collection format, with the size checked in {@link #create}. The JDK's immutable lists
   * and sets and {@code Arrays.asList} are read into a list and rebuilt, as Kryo's own serializers
   * for them do.
   *
   * <p>A collection declared with {@code Integer} or {@code Long} elements ({@code List<Integer>}
   * permissions, {@code Set<Long>} ids) and holding no null is written and read in one loop of
   * varints: the bytes Kryo's own loop writes (its serializers of those boxes write a zig-zag
   * varint each), without the per-element dispatch, depth and reference checks of {@code
   * Kryo.writeObject}, which cost a third of a listUser page's encoding. Anything else, and a
   * collection with a null, takes Kryo's own path. This serializer is never configured with an
   * element class or serializer, so Kryo's path would find the element class in the generic type
   * exactly as {@link #declaredBox} does.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final class BoundedCollection extends CollectionSerializer<Collection> {
    private final CollectionKind kind;

    BoundedCollection(CollectionKind kind) {
      this.kind = kind;
      setImmutable(kind != CollectionKind.MUTABLE);
    }

    @Override
    protected Collection create(
        Kryo kryo, Input input, Class<? extends Collection> type, int size) {
      BoundedInput.checkLength(input, size, "a collection");
      return kind == CollectionKind.MUTABLE
          ? super.create(kryo, input, type, size)
          : new ArrayList<>(size);
    }

    @Override
    public void write(Kryo kryo, Output output, Collection collection) {
      Class<?> box = collection == null || collection.isEmpty() ? null : declaredBox(kryo);
      if (box == null || hasNull(collection)) {
        super.write(kryo, output, collection);
        return;
      }
      // Kryo's header when the element serializer is known and no element is null.
      output.writeVarIntFlag(false, collection.size() + 1, true);
      if (box == Integer.class) {
        for (Object element : collection) {
          output.writeInt((Integer) element, false);
        }
      } else {
        for (Object element : collection) {
          output.writeVarLong((Long) element, false);
        }
      }
    }

    @Override
    public Collection read(Kryo kryo, Input input, Class<? extends Collection> type) {
      Class<?> box = declaredBox(kryo);
      Collection read =
          box == null || input.readVarIntFlag()
              // Unknown elements, or some are null: Kryo's own loop.
              ? super.read(kryo, input, type)
              : readBoxes(kryo, input, type, box);
      if (read == null) {
        return null;
      }
      return switch (kind) {
        case MUTABLE -> read;
        // Unlike List.of, a stream's toList() allows nulls, and the list it makes is allowed too.
        case IMMUTABLE_LIST -> Arrays.stream(read.toArray()).toList();
        case IMMUTABLE_SET -> Set.of(read.toArray());
        case ARRAYS_AS_LIST -> Arrays.asList(read.toArray());
      };
    }

    // Not contains(null): List.of and Set.of throw on it.
    private static boolean hasNull(Collection collection) {
      for (Object element : collection) {
        if (element == null) {
          return true;
        }
      }
      return false;
    }

    /** The rest of Kryo's format after its header's null flag, read as false. */
    private Collection readBoxes(
        Kryo kryo, Input input, Class<? extends Collection> type, Class<?> box) {
      int length = input.readVarIntFlag(true);
      if (length == 0) {
        return null;
      }
      length--;
      Collection collection = create(kryo, input, type, length);
      kryo.reference(collection);
      if (box == Integer.class) {
        for (int i = 0; i < length; i++) {
          collection.add(input.readInt(false));
        }
      } else {
        for (int i = 0; i < length; i++) {
          collection.add(input.readVarLong(false));
        }
      }
      return collection;
    }

    /**
     * {@code Integer.class} or {@code Long.class} when the collection's declared element type is
     * one of them and Kryo carries it with its default serializer; otherwise null. Asking Kryo's
     * generics for the element type pushes it, as Kryo's own read and write do first thing; it is
     * popped again, so that either path finds the generics as they were.
     */
    private static Class<?> declaredBox(Kryo kryo) {
      Class<?> element = kryo.getGenerics().nextGenericClass();
      kryo.getGenerics().popGenericType();
      if (element == Integer.class) {
        return kryo.getSerializer(Integer.class) instanceof DefaultSerializers.IntSerializer
            ? Integer.class
            : null;
      }
      if (element == Long.class) {
        return kryo.getSerializer(Long.class) instanceof DefaultSerializers.LongSerializer
            ? Long.class
            : null;
      }
      return null;
    }
  }

  /** Kryo's map format, with the size checked in {@link #create}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final class BoundedMap extends MapSerializer<Map> {
    private final boolean immutable;

    BoundedMap(boolean immutable) {
      this.immutable = immutable;
      setImmutable(immutable);
    }

    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
      BoundedInput.checkLength(input, size, "a map");
      return immutable ? new HashMap<>() : super.create(kryo, input, type, size);
    }

    @Override
    public Map read(Kryo kryo, Input input, Class<? extends Map> type) {
      Map read = super.read(kryo, input, type);
      return read == null || !immutable ? read : Map.copyOf(read);
    }
  }
}
