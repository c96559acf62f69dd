package io.minirpc;

import java.util.Objects;

/**
 * One process that serves a service, as discovery knows it.
 *
 * @param host the host name or address callers connect to, never a wildcard address
 * @param port the port callers connect to
 * @param weight the provider's share of calls relative to others; positive
 */
public record Provider(String host, int port, int weight) {

  /** The weight of a provider that did not say. */
  public static final int DEFAULT_WEIGHT = 100;

  public Provider {
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

  /** {@code host:port}, with brackets around an IPv6 address. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return address();
  }
}
