package io.minirpc.benchmark;

import io.minirpc.example.user.UserService;
import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.server.RpcServer;
import java.io.IOException;

/**
 * The benchmark's server, run in its own JVM: serves {@link UserService} on a free loopback port,
 * prints {@code SERVER READY <port>}, and stops when its standard input closes, so that it never
 * outlives the process that started it. Its argument says where service methods run: {@code pool}
 * (the business executor), {@code pool:N} (one of N threads) or {@code direct} (the I/O threads).
 */
public final class BenchmarkServerMain {

  static final String READY = "SERVER READY ";

  private BenchmarkServerMain() {}

  public static void main(String[] args) throws IOException {
    boolean direct = args.length > 0 && args[0].equals("direct");
    RpcServer.Builder builder =
        RpcServer.builder().host("127.0.0.1").port(0).addService(new UserServiceImpl());
    if (direct) {
      builder.directExecutor();
    } else if (args.length > 0 && args[0].startsWith("pool:")) {
      builder.workerThreads(Integer.parseInt(args[0].substring("pool:".length())));
    }
    try (RpcServer server = builder.build().start()) {
      System.out.println(READY + server.port());
      System.out.flush();
      while (System.in.read() != -1) {
        // Drain until the parent closes the pipe or dies.
      }
    }
  }
}
