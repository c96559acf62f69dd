package io.minirpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A status code's number is part of the wire protocol: it must stay what docs/PROTOCOL.md says,
 * however the enum's constants are ordered, and read back as the same code.
 */
class StatusCodeNumbersTest {

  private static final Path DOC = Path.of("..", "docs", "PROTOCOL.md");
  private static final Pattern CELL = Pattern.compile("\\|\\s*(\\d+)\\s*\\|\\s*([A-Z_]+)\\s*");

  @Test
  void everyCodeHasTheNumberTheProtocolDocumentGives() throws IOException {
    Map<Status.Code, Integer> documented = documentedNumbers();

    assertThat(documented.keySet()).containsExactlyInAnyOrder(Status.Code.values());
    documented.forEach(
        (code, number) -> {
          assertThat(code.value()).as(code.name()).isEqualTo(number);
          assertThat(Status.Code.of(number)).isEqualTo(code);
        });
  }

  @Test
  void aNumberThisVersionLacksReadsAsInternal() {
    int past = 0;
    for (Status.Code code : Status.Code.values()) {
      past = Math.max(past, code.value() + 1);
    }
    assertThat(Status.Code.of(past)).isEqualTo(Status.Code.INTERNAL);
    assertThat(Status.Code.of(255)).isEqualTo(Status.Code.INTERNAL);
    assertThat(Status.Code.of(-1)).isEqualTo(Status.Code.INTERNAL);
  }

  /** The "Status codes" table: rows of two (number, name) pairs. */
  private static Map<Status.Code, Integer> documentedNumbers() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    String section =
        doc.substring(doc.indexOf("## Status codes"), doc.indexOf("## A real exchange"));
    Map<Status.Code, Integer> numbers = new EnumMap<>(Status.Code.class);
    Matcher cell = CELL.matcher(section);
    while (cell.find()) {
      Integer previous =
          numbers.put(Status.Code.valueOf(cell.group(2)), Integer.parseInt(cell.group(1)));
      assertThat(previous).as("%s documented twice", cell.group(2)).isNull();
    }
    return numbers;
  }
}
