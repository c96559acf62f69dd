package io.minirpc.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The provider documents shown to readers are exactly what {@link ProviderNode} writes for the
 * provider they describe, so that the docs cannot drift from the code again (they once left out
 * {@code serializers}).
 */
class ProviderNodeDocumentationTest {

  // Tests run in the module's folder; the guides live one level up.
  private static final Path DISCOVERY_GUIDE = Path.of("..", "docs", "DISCOVERY.md");
  private static final Path SOURCES = Path.of("src", "main", "java", "io", "minirpc", "registry");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void discoveryGuideShowsWhatProviderNodeWrites() throws IOException {
    String guide = Files.readString(DISCOVERY_GUIDE, StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(guide);

    assertThat(block.find()).as("a json block in " + DISCOVERY_GUIDE).isTrue();
    assertIsWhatProviderNodeWrites(block.group(1));
  }

  @Test
  void registryJavadocShowsWhatProviderNodeWrites() throws IOException {
    assertIsWhatProviderNodeWrites(javadocExample("zookeeper/ZooKeeperRegistry.java"));
  }

  @Test
  void providerNodeJavadocShowsWhatItWrites() throws IOException {
    assertIsWhatProviderNodeWrites(javadocExample("zookeeper/ProviderNode.java"));
  }

  /**
   * Reads the example as a node's data and writes that node again: the same fields must come out,
   * in the same order, with the same values.
   */
  private static void assertIsWhatProviderNodeWrites(String example) throws IOException {
    JsonNode documented = MAPPER.readTree(example);
    JsonNode written =
        MAPPER.readTree(ProviderNode.fromJson(example.getBytes(StandardCharsets.UTF_8)).toJson());

    assertThat(fieldNames(documented)).isEqualTo(fieldNames(written));
    assertThat(documented).isEqualTo(written);
  }

  /** The JSON in the {@code <pre>{@code ...}</pre>} block of a source's Javadoc that shows one. */
  private static String javadocExample(String source) throws IOException {
    String text = Files.readString(SOURCES.resolve(source), StandardCharsets.UTF_8);
    Matcher block =
        Pattern.compile(
                "<pre>\\{@code\\n(\\s*\\*\\s*\\{\"address\".*?)\\n\\s*\\* }</pre>", Pattern.DOTALL)
            .matcher(text);
    assertThat(block.find()).as("a provider document in the Javadoc of " + source).isTrue();
    return block.group(1).replaceAll("(?m)^\\s*\\*\\s?", "");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
