package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AttachmentsTest {

  @Test
  void keysAreCaseInsensitiveAndKeptInLowerCase() {
    Attachments a = Attachments.EMPTY.with("Authorization", "secret").with("X-Trace", "1");

    assertThat(a.get("authorization")).isEqualTo("secret");
    assertThat(a.get("AUTHORIZATION")).isEqualTo("secret");
    assertThat(a.asMap())
        .containsExactly(Map.entry("authorization", "secret"), Map.entry("x-trace", "1"));
  }

  @Test
  void invalidKeyIsRefusedWithItsName() {
    assertThatThrownBy(() -> Attachments.EMPTY.with("bad key", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "an attachment key is 1 to 255 ASCII letters, digits, '-', '_' or '.', not 'bad key'");
  }

  @Test
  void keysDifferingOnlyInCaseCannotBeGivenTogether() {
    assertThatThrownBy(() -> Attachments.of(Map.of("Tenant", "a", "tenant", "b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attachment key 'tenant' given twice");
  }

  @Test
  void toStringShowsKeysButNeverValues() {
    assertThat(Attachments.EMPTY.with("authorization", "secret-value"))
        .hasToString("Attachments[authorization]");
  }
}
