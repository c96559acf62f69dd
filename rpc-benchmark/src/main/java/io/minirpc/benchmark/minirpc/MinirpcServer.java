package io.minirpc.benchmark.minirpc;

import io.minirpc.benchmark.RunningServer;
import io.minirpc.benchmark.protobuf.ProtobufUserServiceAdapter;
import io.minirpc.benchmark.protobuf.ProtobufUserStreamAdapter;
import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.serialize.ProtobufSerializer;
import io.minirpc.server.RpcServer;

/** A minirpc server of the workload on a free loopback port. */
public final class MinirpcServer implements RunningServer {

  /**
   * System property with the number of business threads of the UserService servers; their default
   * when not set. {@link io.minirpc.benchmark.ThroughputLoop}'s {@code pool:N} sets it.
   */
  public static final String WORKER_THREADS = "minirpc.benchmark.workerThreads";

  private final RpcServer server;

  private MinirpcServer(RpcServer server) {
    this.server = server;
  }

  /**
   * Serves the example's UserService with every serializer (Kryo, Protocol Buffers, JSON), on the
   * business executor or, when {@code direct}, on the I/O threads.
   */
  public static MinirpcServer startUserService(boolean direct) {
    RpcServer.Builder builder =
        RpcServer.builder()
            .host("127.0.0.1")
            .port(0)
            .addService(new UserServiceImpl())
            .addService(new UserStreamServiceImpl());
    Integer workerThreads = Integer.getInteger(WORKER_THREADS);
    if (direct) {
      builder.directExecutor();
    } else if (workerThreads != null) {
      builder.workerThreads(workerThreads);
    }
    return new MinirpcServer(builder.build().start());
  }

  /** Serves the protobuf-message form of the UserService with the protobuf serializer. */
  public static MinirpcServer startProtobufUserService() {
    return new MinirpcServer(
        RpcServer.builder()
            .host("127.0.0.1")
            .port(0)
            .serializers(ProtobufSerializer.create())
            .addService(new ProtobufUserServiceAdapter())
            .addService(new ProtobufUserStreamAdapter())
            .build()
            .start());
  }

  @Override
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
