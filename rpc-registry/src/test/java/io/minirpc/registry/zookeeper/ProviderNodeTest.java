package io.minirpc.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minirpc.Provider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderNodeTest {

  @Test
  void roundTripsThroughJson() {
    Provider provider = new Provider("10.0.0.5", 9000, 42, List.of("kryo", "json"));
    ProviderNode node = ProviderNode.of(provider, 1_700_000_000_000L);

    ProviderNode read = ProviderNode.fromJson(node.toJson());

    assertThat(read).isEqualTo(node);
    assertThat(read.toProvider()).isEqualTo(provider);
  }

  @Test
  void writesTheDocumentedFields() throws Exception {
    byte[] json = ProviderNode.of(new Provider("::1", 9000, 100), 1234L).toJson();

    JsonNode tree = new ObjectMapper().readTree(json);

    assertThat(tree.properties())
        .extracting(entry -> entry.getKey())
        .containsExactlyInAnyOrder(
            "address", "host", "port", "weight", "serializers", "protocolVersion", "startTime");
    assertThat(tree.get("address").asText()).isEqualTo("[::1]:9000");
    assertThat(tree.get("host").asText()).isEqualTo("::1");
    assertThat(tree.get("port").asInt()).isEqualTo(9000);
    assertThat(tree.get("weight").asInt()).isEqualTo(100);
    assertThat(tree.get("protocolVersion").asInt()).isEqualTo(1);
    assertThat(tree.get("startTime").asLong()).isEqualTo(1234L);
  }

  @Test
  void ignoresFieldsItDoesNotKnow() {
    String json =
        "{\"address\":\"h:1\",\"host\":\"h\",\"port\":1,\"weight\":7,\"protocolVersion\":2,"
            + "\"startTime\":5,\"serializers\":[\"kryo\",\"json\"],\"zone\":{\"name\":\"a\"}}";

    ProviderNode node = ProviderNode.fromJson(json.getBytes(StandardCharsets.UTF_8));

    assertThat(node).isEqualTo(new ProviderNode("h:1", "h", 1, 7, List.of("kryo", "json"), 2, 5));
  }

  @Test
  void missingWeightReadsAsTheDefaultAndMissingHostFromTheAddress() {
    ProviderNode node =
        ProviderNode.fromJson("{\"address\":\"h:81\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(node.toProvider()).isEqualTo(new Provider("h", 81, Provider.DEFAULT_WEIGHT));
  }

  @Test
  void dataThatIsNotADocumentIsRejected() {
    assertThatThrownBy(
            () -> ProviderNode.fromJson("10.0.0.5:9000".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("node data is not a provider document: ");
    assertThatThrownBy(() -> ProviderNode.fromJson(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node has no data");
  }
}
