package io.minirpc.serialize;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bounded collection serializer writes the bytes Kryo's own {@code CollectionSerializer}
 * writes, and each reads what the other wrote: checked against a stock Kryo registered alike, for
 * the boxes it writes in a loop of its own ({@code Integer}, {@code Long}) and for what it leaves
 * to Kryo.
 */
class BoundedCollectionFormatTest {

  /** Fields of every kind of declared element the bounded serializer treats differently. */
  static final class Boxes {
    List<Integer> ints;
    Set<Long> longs;
    List<Integer> withNull;
    List<Integer> immutable;
    ArrayList<Long> concrete;
    List<Integer> empty;
    List<Integer> absent;
    List<String> strings;
    List<List<Integer>> nested;

    @Override
    public boolean equals(Object o) {
      return o instanceof Boxes b
          && Objects.equals(ints, b.ints)
          && Objects.equals(longs, b.longs)
          && Objects.equals(withNull, b.withNull)
          && Objects.equals(immutable, b.immutable)
          && Objects.equals(concrete, b.concrete)
          && Objects.equals(empty, b.empty)
          && Objects.equals(absent, b.absent)
          && Objects.equals(strings, b.strings)
          && Objects.equals(nested, b.nested);
    }

    @Override
    public int hashCode() {
      return Objects.hash(ints, longs);
    }
  }

  private static Boxes sample() {
    Boxes boxes = new Boxes();
    boxes.ints =
        new ArrayList<>(
            List.of(0, 1, -1, 63, -64, 64, 127, 128, Integer.MAX_VALUE, Integer.MIN_VALUE));
    boxes.longs = new LinkedHashSet<>(List.of(0L, -1L, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE));
    boxes.withNull = new ArrayList<>(Arrays.asList(1, null, 3));
    boxes.immutable = List.of(1, 2, 3, 4, 5, 6, 7, 8, 19, 88, 86, 89, 90, 91, 92);
    boxes.concrete = new ArrayList<>(List.of(7L, -7L));
    boxes.empty = new ArrayList<>();
    boxes.absent = null;
    boxes.strings = new ArrayList<>(List.of("a", "中关村"));
    boxes.nested = new ArrayList<>(List.of(new ArrayList<>(List.of(1, 2)), new ArrayList<>()));
    return boxes;
  }

  private static Kryo kryo(boolean bounded) {
    Kryo kryo = new Kryo();
    kryo.setReferences(false);
    kryo.setRegistrationRequired(true);
    ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
    List<Class<?>> types =
        List.of(
            Boxes.class,
            ArrayList.class,
            HashSet.class,
            LinkedHashSet.class,
            List.of().getClass(),
            List.of(1).getClass(),
            List.of(1, 2, 3).getClass());
    for (Class<?> type : types) {
      kryo.register(type);
    }
    if (bounded) {
      for (Class<?> type : types) {
        BoundedSerializers.bound(kryo.getRegistration(type));
      }
    }
    return kryo;
  }

  private static byte[] write(Kryo kryo, Object value) {
    Output output = new Output(4096, -1);
    kryo.writeObject(output, value);
    return output.toBytes();
  }

  private static <T> T read(Kryo kryo, byte[] bytes, Class<T> type) {
    Input input = new Input(bytes);
    T value = kryo.readObject(input, type);
    assertThat(input.position()).as("every byte read").isEqualTo(bytes.length);
    return value;
  }

  @Test
  void writesTheBytesOfKryosOwnCollectionSerializer() {
    Boxes boxes = sample();

    assertThat(write(kryo(true), boxes)).isEqualTo(write(kryo(false), boxes));
  }

  @Test
  void readsWhatKryoWroteAndKryoReadsWhatItWrote() {
    Boxes boxes = sample();

    assertThat(read(kryo(true), write(kryo(false), boxes), Boxes.class)).isEqualTo(boxes);
    assertThat(read(kryo(false), write(kryo(true), boxes), Boxes.class)).isEqualTo(boxes);
    assertThat(read(kryo(true), write(kryo(true), boxes), Boxes.class)).isEqualTo(boxes);
  }

  @Test
  void aCollectionWithoutDeclaredElementsTakesKryosPath() {
    List<Integer> undeclared = new ArrayList<>(List.of(1, 2, 3));

    byte[] bounded = write(kryo(true), undeclared);

    assertThat(bounded).isEqualTo(write(kryo(false), undeclared));
    assertThat(read(kryo(true), bounded, ArrayList.class)).isEqualTo(undeclared);
  }
}
