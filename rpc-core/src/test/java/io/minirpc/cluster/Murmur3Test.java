package io.minirpc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Murmur3Test {

  /** Published values of MurmurHash3 x64_128 (first half), covering every tail length class. */
  @Test
  void matchesTheReferenceImplementation() {
    assertHash(0, "", 0L);
    assertHash(0, "hell", 0x629942693e10f867L);
    assertHash(1, "hello", 0xa78ddff5adae8d10L);
    assertHash(2, "hello ", 0x8a486b23f422e826L);
    assertHash(3, "hello w", 0x2ea59f466f6bed8cL);
    assertHash(4, "hello wo", 0x79f6305a386c572cL);
    assertHash(5, "hello wor", 0xc2219d213ec1f1b5L);
    assertHash(0, "The quick brown fox jumps over the lazy dog", 0xe34bbc7bbc071b6cL);
    assertHash(0, "The quick brown fox jumps over the lazy cog", 0x658ca970ff85269aL);
  }

  private static void assertHash(long seed, String text, long expected) {
    assertThat(Murmur3.hash64(text.getBytes(StandardCharsets.UTF_8), seed))
        .as("hash of '%s' with seed %s", text, seed)
        .isEqualTo(expected);
  }
}
