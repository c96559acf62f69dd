package io.minirpc.spring;

import io.minirpc.client.RpcClient;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import io.minirpc.server.RpcServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * The {@code minirpc} health indicator of Spring Boot Actuator: DOWN while the auto-configured
 * server is not running or answers NOT_SERVING for itself (set by the application through {@code
 * server.health()}, or because it is closing), UP otherwise.
 *
 * <p>Its details give the server's port, REST port and the status of each exported service, and the
 * client's providers with the state of each ({@code AVAILABLE}, {@code CIRCUIT_OPEN}, ...). The
 * providers never turn the indicator DOWN: that another service's providers fail is no reason to
 * restart or take this application out of a load balancer.
 */
final class MinirpcHealthIndicator implements HealthIndicator {

  private final RpcServerLifecycle server;
  private final RpcClient client;

  /**
   * @param server the auto-configured server, or null
   * @param client the client, or null
   */
  MinirpcHealthIndicator(RpcServerLifecycle server, RpcClient client) {
    this.server = server;
    this.client = client;
  }

  @Override
  public org.springframework.boot.actuate.health.Health health() {
    org.springframework.boot.actuate.health.Health.Builder health =
        org.springframework.boot.actuate.health.Health.up();
    if (server != null) {
      Map<String, Object> details = new LinkedHashMap<>();
      RpcServer rpc = server.server();
      ServingStatus status = rpc.health().check(Health.SERVER);
      if (server.isRunning()) {
        details.put("status", status.name());
        details.put("port", rpc.port());
        try {
          details.put("restPort", rpc.restPort());
        } catch (IllegalStateException noBridge) {
          // Served without a REST bridge: no port to tell.
        }
      } else {
        details.put("status", "STOPPED");
      }
      Map<String, String> services = new TreeMap<>();
      for (String key : server.serviceKeys()) {
        services.put(key, rpc.health().check(key).name());
      }
      details.put("services", services);
      health.withDetail("server", details);
      if (!server.isRunning() || status != ServingStatus.SERVING) {
        health.status(Status.DOWN);
      }
    }
    if (client != null) {
      Map<String, Object> details = new LinkedHashMap<>();
      Map<String, String> providers = new TreeMap<>();
      client.providerStates().byAddress().forEach((address, s) -> providers.put(address, s.name()));
      details.put("providers", providers);
      details.put("pendingCalls", client.pendingCalls());
      health.withDetail("client", details);
    }
    return health.build();
  }
}
