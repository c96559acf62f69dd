package io.minirpc.benchmark.grpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.minirpc.benchmark.RunningServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC-java server (Netty transport, plaintext HTTP/2) of the workload on a free loopback port.
 */
public final class GrpcServer implements RunningServer {

  private final Server server;

  private GrpcServer(Server server) {
    this.server = server;
  }

  /**
   * Starts the server; {@code direct} runs service methods on the transport's threads ({@code
   * directExecutor()}), otherwise they run on gRPC's default executor.
   */
  public static GrpcServer start(boolean direct) {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
            .addService(new GrpcUserServiceAdapter());
    if (direct) {
      builder.directExecutor();
    }
    try {
      return new GrpcServer(builder.build().start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the gRPC server", e);
    }
  }

  @Override
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
