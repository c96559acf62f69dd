package io.minirpc.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minirpc.ServiceName;
import io.minirpc.Status;
import io.minirpc.health.Health;
import io.minirpc.reflection.Reflection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The reflection service of one server: its service listing, rendered once when the server is built
 * (the REST bridge's {@code GET /} document), and each listed service's part of it, cut out once,
 * so that a call only looks an answer up.
 */
final class ServerReflection implements Reflection {

  private final String listing;
  private final Map<String, String> byKey;

  /**
   * @param listing the service listing as {@code io.minirpc.http.ServiceListing} renders it
   */
  ServerReflection(byte[] listing) {
    this.listing = new String(listing, StandardCharsets.UTF_8);
    ObjectMapper mapper = new ObjectMapper();
    Map<String, String> services = new HashMap<>();
    try {
      for (JsonNode service : mapper.readTree(listing).get("services")) {
        String key =
            new ServiceName(service.get("name").asText(), service.get("version").asText()).key();
        services.put(key, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(service));
      }
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("the service listing is not the JSON it should be", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.byKey = Map.copyOf(services);
  }

  @Override
  public String listServices() {
    return listing;
  }

  @Override
  public String describe(String serviceKey) {
    String described = serviceKey == null ? null : byKey.get(serviceKey);
    if (described != null) {
      return described;
    }
    if (Health.SERVICE.equals(serviceKey) || SERVICE.equals(serviceKey)) {
      throw Status.NOT_FOUND
          .withDescription(
              serviceKey
                  + " is built into every server and not described by reflection; see its"
                  + " interface in rpc-api")
          .asException();
    }
    throw Status.NOT_FOUND
        .withDescription(
            "no service '" + serviceKey + "' on this server; it exports " + sortedKeys())
        .asException();
  }

  private java.util.List<String> sortedKeys() {
    return byKey.keySet().stream().sorted().toList();
  }
}
