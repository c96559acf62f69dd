package io.minirpc.serialize;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Strings in Kryo's format: {@link KryoOutput} writes the bytes Kryo's own {@code Output} writes,
 * with a stream or without, where its buffer has room and where it must flush; {@link BoundedInput}
 * reads them as Kryo's {@code Input} does.
 */
class KryoStringFormatTest {

  private static final List<String> STRINGS =
      List.of(
          "",
          "a",
          "Doug Lea",
          "https://www.baidu.com/img/bd_logo1.png", // ASCII, over Kryo's 32-char ASCII form
          "北京市 中关村 中关村大街1号 鼎好大厦 1605",
          "héllo wörld",
          "한국어 텍스트", // Hangul: lead byte ED below the surrogates
          "\ud7ff\ue000\uffff",
          "emoji \ud83d\ude00 and more", // a surrogate pair: Kryo's three bytes per half
          "lone \ud800 surrogate",
          "nul \u0000 inside",
          "x".repeat(70_000),
          "ab",
          "a".repeat(32),
          "a".repeat(33),
          "é".repeat(40));

  /** Every string in order, then null, in Kryo's own output: the bytes both must agree on. */
  private static byte[] kryoBytes() {
    Output output = new Output(1024, -1);
    for (String s : STRINGS) {
      output.writeString(s);
    }
    output.writeString(null);
    return output.toBytes();
  }

  @Test
  void writesTheBytesKryosOutputWritesWithoutAStream() {
    Output output = new KryoOutput(1 << 20);
    for (String s : STRINGS) {
      output.writeString(s);
    }
    output.writeString(null);

    assertThat(output.toBytes()).isEqualTo(kryoBytes());
  }

  @Test
  void writesTheBytesKryosOutputWritesThroughAStreamThatItFlushes() {
    // A small buffer: most strings find it part full, and the longest are left to Kryo's code.
    for (int bufferSize : new int[] {64, 100, 256}) {
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      Output output = new KryoOutput(bufferSize);
      output.setOutputStream(stream);
      for (int round = 0; round < 3; round++) {
        for (String s : STRINGS) {
          output.writeString(s);
        }
        output.writeString(null);
      }
      output.flush();

      byte[] once = kryoBytes();
      byte[] expected = new byte[3 * once.length];
      for (int round = 0; round < 3; round++) {
        System.arraycopy(once, 0, expected, round * once.length, once.length);
      }
      assertThat(stream.toByteArray()).as("buffer of %d bytes", bufferSize).isEqualTo(expected);
    }
  }

  @Test
  void readsEveryStringAsKryosInputDoes() throws IOException {
    byte[] bytes = kryoBytes();

    BoundedInput bounded = new BoundedInput();
    bounded.load(new ByteArrayInputStream(bytes));
    Input stock = new Input(bytes);
    for (String s : STRINGS) {
      String read = bounded.readString();
      assertThat(read).isEqualTo(stock.readString()).isEqualTo(s);
      assertThat(bounded.position()).isEqualTo(stock.position());
    }
    assertThat(bounded.readString()).isNull();
    assertThat(bounded.position()).isEqualTo(bytes.length);
  }
}
