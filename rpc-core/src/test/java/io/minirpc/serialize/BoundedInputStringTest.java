package io.minirpc.serialize;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link BoundedInput} reads every string Kryo's {@code Output.writeString} writes as Kryo's own
 * {@code Input} does, whether the JDK's UTF-8 decoder or Kryo's loop decodes it.
 */
class BoundedInputStringTest {

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
          "x".repeat(70_000));

  @Test
  void readsEveryStringAsKryosInputDoes() throws IOException {
    Output output = new Output(1024, -1);
    for (String s : STRINGS) {
      output.writeString(s);
    }
    output.writeString(null);
    byte[] bytes = output.toBytes();

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
