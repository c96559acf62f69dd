package io.minirpc.dashboard;

import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks providers whether they serve, through the minirpc health service: one {@link RpcClient} per
 * address, made the first time it is asked and kept until the address leaves ZooKeeper or the probe
 * is closed.
 */
final class ProviderProbe implements AutoCloseable {

  /** What a provider answered, or why it could not. */
  record State(String state, String status, String description) {

    static final String SERVING = "SERVING";
    static final String NOT_SERVING = "NOT_SERVING";
    static final String UNREACHABLE = "UNREACHABLE";
  }

  private final Duration timeout;
  private final Map<String, RpcClient> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  ProviderProbe(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * The provider's status for this service: SERVING when both the server ({@code Health.check("")})
   * and the service ({@code Health.check(serviceKey)}) are; NOT_SERVING when either says so, or
   * when the provider does not export the service (NOT_FOUND); UNREACHABLE, with the failed call's
   * status, when it does not answer.
   */
  State check(String address, String serviceKey) {
    try {
      Health health = client(address).stub(Health.class);
      if (health.check(Health.SERVER) != ServingStatus.SERVING) {
        return new State(State.NOT_SERVING, Status.Code.OK.name(), "the server is NOT_SERVING");
      }
      ServingStatus answer = health.check(serviceKey);
      return answer == ServingStatus.SERVING
          ? new State(State.SERVING, Status.Code.OK.name(), "SERVING")
          : new State(State.NOT_SERVING, Status.Code.OK.name(), serviceKey + " is " + answer);
    } catch (RuntimeException e) {
      Status status = Status.fromThrowable(e);
      String state = status.code() == Status.Code.NOT_FOUND ? State.NOT_SERVING : State.UNREACHABLE;
      return new State(state, status.code().name(), status.description());
    }
  }

  /** Closes the clients of the addresses not in {@code live}. */
  void retain(Set<String> live) {
    clients
        .keySet()
        .removeIf(
            address -> {
              if (live.contains(address)) {
                return false;
              }
              RpcClient gone = clients.get(address);
              if (gone != null) {
                gone.close();
              }
              return true;
            });
  }

  private RpcClient client(String address) {
    if (closed) {
      throw new IllegalStateException("dashboard is closed");
    }
    return clients.computeIfAbsent(
        address,
        a ->
            RpcClient.builder()
                .addresses(a)
                .timeout(timeout)
                .connectTimeout(timeout)
                .maxAttempts(1)
                .ioThreads(1)
                .build());
  }

  @Override
  public void close() {
    closed = true;
    clients.values().forEach(RpcClient::close);
    clients.clear();
  }
}
