package io.minirpc.example;

import io.minirpc.server.RpcServer;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a provider of {@link GreetingService} until the process is stopped.
 *
 * <p>Usage: {@code java -cp minirpc-example.jar io.minirpc.example.ProviderMain [port]}; port 0
 * (the default) lets the system choose. Prints {@code PROVIDER READY <port>} once it listens.
 */
public final class ProviderMain {

  /** The line a provider prints once it listens, followed by its port. */
  public static final String READY = "PROVIDER READY ";

  private ProviderMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    RpcServer server =
        RpcServer.builder().port(port).addService(new GreetingServiceImpl()).build().start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "provider-shutdown"));
    System.out.println(READY + server.port());
    System.out.flush();
    stopped.await();
  }
}
