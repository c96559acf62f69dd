package io.minirpc.benchmark.rest;

import io.minirpc.benchmark.RunningServer;
import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.server.RpcServer;

/** A minirpc server that serves the example's UserService over its REST bridge (HTTP/JSON). */
public final class RestServer implements RunningServer {

  private final RpcServer server;

  private RestServer(RpcServer server) {
    this.server = server;
  }

  public static RestServer start() {
    return new RestServer(
        RpcServer.builder()
            .host("127.0.0.1")
            .port(0)
            .restPort(0)
            .addService(new UserServiceImpl())
            .build()
            .start());
  }

  /** The REST bridge's port, the one the benchmark's HTTP callers use. */
  @Override
  public int port() {
    return server.restPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
