package io.minirpc.cli;

import io.minirpc.CallOptions;
import io.minirpc.Registry;
import io.minirpc.client.RpcClient;

/** A client to call the server with, the options of its calls, and the registry it owns, if any. */
final class Connection implements AutoCloseable {

  private final RpcClient client;
  private final Registry registry;
  private final CallOptions options;

  Connection(RpcClient client, Registry registry, CallOptions options) {
    this.client = client;
    this.registry = registry;
    this.options = options;
  }

  RpcClient client() {
    return client;
  }

  CallOptions options() {
    return options;
  }

  /** A stub of the service whose calls take the command's timeout and attachments. */
  <T> T stub(Class<T> serviceInterface) {
    return client.stub(serviceInterface, options);
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }
}
