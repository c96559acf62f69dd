package io.minirpc.cluster;

/**
 * The first 64 bits of MurmurHash3 x64_128, the hash that places keys and virtual nodes on a
 * consistent hash ring. It is defined on bytes alone, so every JVM computes the same value for the
 * same key, and it mixes well enough that nearby keys land far apart.
 *
 * <p>For a seed within {@code 0..Integer.MAX_VALUE} the result is the {@code h1} half of the
 * reference implementation (and of Guava's {@code Hashing.murmur3_128(seed)}, read as a
 * little-endian {@code long}); larger seeds extend it in the obvious way, to chain hashes.
 */
final class Murmur3 {

  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private Murmur3() {}

  static long hash64(byte[] data) {
    return hash64(data, 0);
  }

  static long hash64(byte[] data, long seed) {
    int length = data.length;
    long h1 = seed;
    long h2 = seed;
    int blocks = length >>> 4;
    for (int i = 0; i < blocks; i++) {
      int offset = i << 4;
      long k1 = getLongLittleEndian(data, offset);
      long k2 = getLongLittleEndian(data, offset + 8);

      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27);
      h1 += h2;
      h1 = h1 * 5 + 0x52dce729;

      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31);
      h2 += h1;
      h2 = h2 * 5 + 0x38495ab5;
    }

    int tail = blocks << 4;
    long k1 = 0;
    long k2 = 0;
    // The reference implementation's fall-through switch over the remaining 1 to 15 bytes.
    switch (length & 15) {
      case 15:
        k2 ^= (long) (data[tail + 14] & 0xff) << 48;
      case 14:
        k2 ^= (long) (data[tail + 13] & 0xff) << 40;
      case 13:
        k2 ^= (long) (data[tail + 12] & 0xff) << 32;
      case 12:
        k2 ^= (long) (data[tail + 11] & 0xff) << 24;
      case 11:
        k2 ^= (long) (data[tail + 10] & 0xff) << 16;
      case 10:
        k2 ^= (long) (data[tail + 9] & 0xff) << 8;
      case 9:
        k2 ^= data[tail + 8] & 0xff;
        h2 ^= mixK2(k2);
      case 8:
        k1 ^= (long) (data[tail + 7] & 0xff) << 56;
      case 7:
        k1 ^= (long) (data[tail + 6] & 0xff) << 48;
      case 6:
        k1 ^= (long) (data[tail + 5] & 0xff) << 40;
      case 5:
        k1 ^= (long) (data[tail + 4] & 0xff) << 32;
      case 4:
        k1 ^= (long) (data[tail + 3] & 0xff) << 24;
      case 3:
        k1 ^= (long) (data[tail + 2] & 0xff) << 16;
      case 2:
        k1 ^= (long) (data[tail + 1] & 0xff) << 8;
      case 1:
        k1 ^= data[tail] & 0xff;
        h1 ^= mixK1(k1);
      default:
    }

    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    return h1;
  }

  private static long mixK1(long k1) {
    k1 *= C1;
    k1 = Long.rotateLeft(k1, 31);
    k1 *= C2;
    return k1;
  }

  private static long mixK2(long k2) {
    k2 *= C2;
    k2 = Long.rotateLeft(k2, 33);
    k2 *= C1;
    return k2;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  private static long getLongLittleEndian(byte[] data, int offset) {
    return (data[offset] & 0xffL)
        | (data[offset + 1] & 0xffL) << 8
        | (data[offset + 2] & 0xffL) << 16
        | (data[offset + 3] & 0xffL) << 24
        | (data[offset + 4] & 0xffL) << 32
        | (data[offset + 5] & 0xffL) << 40
        | (data[offset + 6] & 0xffL) << 48
        | (data[offset + 7] & 0xffL) << 56;
  }
}
