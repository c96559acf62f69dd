package io.minirpc.registry.zookeeper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.minirpc.Provider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON document stored as the data of a provider's node, as {@link
 * ZooKeeperRegistry#providerNodes} reads it, for example:
 *
 * <pre>{@code
 * {"address":"10.0.0.5:9000","host":"10.0.0.5","port":9000,"weight":100,
 *  "serializers":["kryo","json"],"protocolVersion":1,"startTime":1700000000000}
 * }</pre>
 *
 * <p>Readers ignore fields they do not know, so later versions may add some without breaking older
 * callers. A missing or non-positive weight reads as {@link Provider#DEFAULT_WEIGHT}; a missing
 * host and port are taken from the address.
 *
 * @param address {@code host:port}, as {@link Provider#address()}; also the node's name
 * @param host the host callers connect to
 * @param port the port callers connect to
 * @param weight the provider's share of calls relative to others
 * @param serializers the serializers the provider accepts for this service; missing or empty when
 *     it did not say, which callers read as any
 * @param protocolVersion the version of the minirpc wire protocol the provider speaks
 * @param startTime when this registry first registered the provider, in epoch milliseconds; kept
 *     when it registers the provider again after a session expiry
 */
public record ProviderNode(
    String address,
    String host,
    int port,
    int weight,
    List<String> serializers,
    int protocolVersion,
    long startTime) {

  /** The version of the wire protocol providers of this build speak. */
  static final int PROTOCOL_VERSION = 1;

  // Both are immutable and thread-safe once configured: sharing them is not shared state.
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectWriter WRITER = MAPPER.writerFor(ProviderNode.class);
  private static final ObjectReader READER =
      MAPPER
          .readerFor(ProviderNode.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static ProviderNode of(Provider provider, long startTime) {
    return new ProviderNode(
        provider.address(),
        provider.host(),
        provider.port(),
        provider.weight(),
        provider.serializers(),
        PROTOCOL_VERSION,
        startTime);
  }

  /**
   * Reads a node's data.
   *
   * @throws IllegalArgumentException if the data is not such a document
   */
  static ProviderNode fromJson(byte[] json) {
    if (json == null || json.length == 0) {
      throw new IllegalArgumentException("node has no data");
    }
    try {
      return READER.readValue(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("node data is not a provider document: " + e, e);
    }
  }

  byte[] toJson() {
    try {
      return WRITER.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      // A record of strings and numbers always serializes; this would be a Jackson bug.
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The provider this document describes.
   *
   * @throws IllegalArgumentException if neither host and port nor the address name a provider
   */
  Provider toProvider() {
    int effectiveWeight = weight > 0 ? weight : Provider.DEFAULT_WEIGHT;
    List<String> accepted = serializers == null ? List.of() : serializers;
    if (host != null && !host.isEmpty() && port > 0) {
      return new Provider(host, port, effectiveWeight, accepted);
    }
    if (address == null) {
      throw new IllegalArgumentException("node data has neither host and port nor address");
    }
    Provider parsed = Provider.parse(address);
    return new Provider(parsed.host(), parsed.port(), effectiveWeight, accepted);
  }
}
