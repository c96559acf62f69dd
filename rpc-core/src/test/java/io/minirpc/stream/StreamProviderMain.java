package io.minirpc.stream;

import io.minirpc.server.RpcServer;
import java.io.IOException;

/**
 * A provider of {@link StreamService} in a process of its own, for the test that kills it: prints
 * {@code PORT <port>} once it listens, and serves until its standard input closes.
 */
public final class StreamProviderMain {

  private StreamProviderMain() {}

  public static void main(String[] args) throws IOException {
    try (RpcServer server =
        RpcServer.builder().host("127.0.0.1").addService(new StreamServiceImpl()).build().start()) {
      System.out.println("PORT " + server.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Serves until the test closes the pipe, or kills the process.
      }
    }
  }
}
