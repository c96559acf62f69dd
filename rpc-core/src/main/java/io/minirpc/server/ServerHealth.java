package io.minirpc.server;

import io.minirpc.ServiceName;
import io.minirpc.Status;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serving status of a server and of each service it exports, as its health service answers
 * them: the application's handle to change them at run time, as gRPC's {@code HealthStatusManager}
 * is. Every status starts SERVING.
 *
 * <pre>{@code
 * server.health().setStatus(UserService.class, ServingStatus.NOT_SERVING); // its database is down
 * server.health().setStatus(Health.SERVER, ServingStatus.NOT_SERVING); // the whole server
 * }</pre>
 *
 * <p>The status of the whole server ({@value Health#SERVER}) is set on its own, as in gRPC: a
 * service set NOT_SERVING leaves it SERVING. When the server closes, every status turns NOT_SERVING
 * for good, first thing, and later changes are ignored.
 */
public final class ServerHealth implements Health {

  private final Map<String, ServingStatus> statuses = new ConcurrentHashMap<>();

  /** Once set, every check answers NOT_SERVING, whatever a racing setStatus wrote. */
  private volatile boolean terminal;

  /**
   * @param serviceKeys the keys of the services the server exports
   */
  ServerHealth(Collection<String> serviceKeys) {
    statuses.put(SERVER, ServingStatus.SERVING);
    for (String key : serviceKeys) {
      statuses.put(key, ServingStatus.SERVING);
    }
  }

  /**
   * Sets the status of an exported service.
   *
   * @throws IllegalArgumentException if the server does not export it
   */
  public void setStatus(Class<?> serviceInterface, ServingStatus status) {
    setStatus(
        ServiceName.of(Objects.requireNonNull(serviceInterface, "serviceInterface")).key(), status);
  }

  /**
   * Sets the status of the exported service of this key, or of the whole server for {@value
   * Health#SERVER}. Ignored once the server is closing.
   *
   * @throws IllegalArgumentException if the server exports no service of this key
   */
  public void setStatus(String serviceKey, ServingStatus status) {
    Objects.requireNonNull(serviceKey, "serviceKey");
    Objects.requireNonNull(status, "status");
    if (!statuses.containsKey(serviceKey)) {
      throw new IllegalArgumentException(
          "this server exports no service '"
              + serviceKey
              + "'; it exports "
              + statuses.keySet().stream().filter(k -> !k.isEmpty()).sorted().toList());
    }
    if (!terminal) {
      statuses.put(serviceKey, status);
    }
  }

  /**
   * The status of the exported service of this key, or of the whole server for {@value
   * Health#SERVER}; what the health service answers over the minirpc protocol and the REST bridge.
   *
   * @throws io.minirpc.RpcException NOT_FOUND if the server exports no service of this key
   */
  @Override
  public ServingStatus check(String service) {
    ServingStatus status = service == null ? null : statuses.get(service);
    if (status == null) {
      throw Status.NOT_FOUND
          .withDescription("no service '" + service + "' on this server to check the health of")
          .asException();
    }
    return terminal ? ServingStatus.NOT_SERVING : status;
  }

  /** Turns every status NOT_SERVING for good: the server is shutting down. */
  void enterTerminalState() {
    terminal = true;
    statuses.replaceAll((key, status) -> ServingStatus.NOT_SERVING);
  }
}
