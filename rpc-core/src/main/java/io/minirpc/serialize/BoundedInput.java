package io.minirpc.serialize;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A Kryo input over one whole payload, so that the bytes left are known exactly and a length
 * claimed by the payload can be checked before anything of that size is allocated.
 *
 * <p>Kryo allocates a string's characters, an array or a collection's capacity from the length it
 * reads; a few hostile bytes claiming a billion elements would otherwise exhaust the heap. Every
 * element takes at least one byte, so a claim larger than the bytes left is always corrupt.
 */
final class BoundedInput extends Input {

  private static final int INITIAL_SIZE = 8192;
  // Buffers grown for a large payload are dropped afterwards rather than kept in the pool.
  private static final int LARGEST_KEPT = 1 << 20;
  private static final int LARGEST_ARRAY = Integer.MAX_VALUE - 8;

  BoundedInput() {
    super(INITIAL_SIZE);
  }

  /** Reads the stream to its end, which the transport bounds to the frame's body. */
  void load(InputStream in) throws IOException {
    byte[] bytes = buffer;
    int count = 0;
    while (true) {
      if (count == bytes.length) {
        if (bytes.length == LARGEST_ARRAY) {
          throw new IOException("payload larger than " + LARGEST_ARRAY + " bytes");
        }
        bytes = Arrays.copyOf(bytes, (int) Math.min(2L * bytes.length, LARGEST_ARRAY));
      }
      int read = in.read(bytes, count, bytes.length - count);
      if (read < 0) {
        break;
      }
      count += read;
    }
    setBuffer(bytes, 0, count);
  }

  /** Forgets the payload, keeping the buffer for the next one unless it grew large. */
  void clear() {
    setBuffer(buffer.length > LARGEST_KEPT ? new byte[INITIAL_SIZE] : buffer, 0, 0);
  }

  @Override
  public String readString() {
    // A set high bit in the first byte announces a length (UTF-8, null or empty); ASCII strings
    // end at a marked byte instead, so they can never outgrow the payload.
    if (position < limit && (buffer[position] & 0x80) != 0) {
      int start = position;
      int charCount = readVarIntFlag(true) - 1;
      position = start;
      checkLength(this, charCount, "a string");
    }
    return super.readString();
  }

  @Override
  public byte[] readBytes(int length) {
    checkLength(this, length, "a byte array");
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    checkLength(this, length, "an int array");
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    checkLength(this, length, "an int array");
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    checkLength(this, length, "a long array");
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    checkLength(this, length, "a long array");
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    checkLength(this, length, "a float array");
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    checkLength(this, length, "a double array");
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    checkLength(this, length, "a short array");
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    checkLength(this, length, "a char array");
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    checkLength(this, length, "a boolean array");
    return super.readBooleans(length);
  }

  /** Fails if a claimed number of elements cannot fit in the bytes left of the input. */
  static void checkLength(Input input, long claimed, String what) {
    int left = input.limit() - input.position();
    if (claimed > left) {
      throw new KryoException(
          what + " claims " + claimed + " elements but only " + left + " bytes are left");
    }
  }
}
