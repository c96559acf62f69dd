package io.minirpc;

import java.util.List;
import java.util.Objects;

/**
 * One process that serves a service, as discovery knows it: where to connect, its share of calls,
 * and the serializers it accepts for that service.
 *
 * <p>Immutable. Two providers are equal when all of their fields are; {@link #address()} alone
 * identifies the process.
 */
public final class Provider {

  /** The weight of a provider that did not say. */
  public static final int DEFAULT_WEIGHT = 100;

  private final String host;
  private final int port;
  private final int weight;
  private final List<String> serializers;
  private final String address;

  /**
   * A provider that accepts any serializer.
   *
   * @param host the host name or address callers connect to, never a wildcard address
   * @param port the port callers connect to
   * @param weight the provider's share of calls relative to others; positive
   */
  public Provider(String host, int port, int weight) {
    this(host, port, weight, List.of());
  }

  /**
   * A provider that accepts these serializers (by {@link Serializer#name()}) for the service it is
   * registered for; an empty list when it did not say.
   */
  public Provider(String host, int port, int weight, List<String> serializers) {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 1 and 65535: " + port);
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be positive: " + weight);
    }
    this.host = host;
    this.port = port;
    this.weight = weight;
    this.serializers = List.copyOf(serializers);
    // Built once: the client looks providers up by address for every call.
    this.address = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Parses {@code host:port} (or {@code [v6-address]:port}) into a provider of the default weight.
   *
   * @throws IllegalArgumentException if the text is not of that form
   */
  public static Provider parse(String address) {
    Objects.requireNonNull(address, "address");
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + address + "'");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected host:port, got '" + address + "'", e);
    }
    return new Provider(host, port, DEFAULT_WEIGHT);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public int weight() {
    return weight;
  }

  /** The names of the serializers this provider accepts; empty when it did not say. */
  public List<String> serializers() {
    return serializers;
  }

  /** Whether a caller writing with this serializer may call this provider. */
  public boolean accepts(String serializerName) {
    return serializers.isEmpty() || serializers.contains(serializerName);
  }

  /** {@code host:port}, with brackets around an IPv6 address. */
  public String address() {
    return address;
  }

  /** This provider with another list of serializers. */
  public Provider withSerializers(List<String> serializers) {
    return new Provider(host, port, weight, serializers);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Provider p
        && port == p.port
        && weight == p.weight
        && host.equals(p.host)
        && serializers.equals(p.serializers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, weight, serializers);
  }

  @Override
  public String toString() {
    return address;
  }
}
