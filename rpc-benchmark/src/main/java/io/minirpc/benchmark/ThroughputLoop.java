package io.minirpc.benchmark;

import io.minirpc.Serializer;
import io.minirpc.client.RpcClient;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserService;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.serialize.KryoSerializer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small throughput loop: {@code getUser} calls from N concurrent callers in this JVM to a server
 * in a second JVM, for a warm-up and then a measured period; prints calls per second.
 *
 * <p>Usage: {@code java -jar rpc-benchmark/target/minirpc-benchmark.jar [callers] [seconds]
 * [kryo|json] [pool|direct]}; defaults 32 callers, 10 seconds, kryo, pool (the server's business
 * executor; {@code direct} runs service methods on its I/O threads). JMH benchmarks come later;
 * this gives one honest figure quickly.
 */
public final class ThroughputLoop {

  private ThroughputLoop() {}

  public static void main(String[] args) throws Exception {
    int callers = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String serializerName = args.length > 2 ? args[2] : "kryo";
    String executor = args.length > 3 ? args[3] : "pool";
    Serializer serializer =
        switch (serializerName) {
          case "kryo" -> KryoSerializer.create();
          case "json" -> JsonSerializer.create();
          default -> throw new IllegalArgumentException("serializer: kryo or json");
        };
    Process server = startServer(executor);
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      int port = CompletableFuture.supplyAsync(() -> awaitReady(out)).get(30, TimeUnit.SECONDS);
      try (RpcClient client =
          RpcClient.builder()
              .addresses("127.0.0.1:" + port)
              .serializer(serializer)
              .timeout(Duration.ofSeconds(10))
              .build()) {
        UserService users = client.stub(UserService.class);
        run(users, callers, Math.max(2, seconds / 2), null);
        LongAdder calls = new LongAdder();
        long elapsed = run(users, callers, seconds, calls);
        double perSecond = calls.sum() * 1e9 / elapsed;
        System.out.printf(
            Locale.ROOT,
            "getUser: %d callers, %s, server executor %s, %d s: %,.0f calls/s (%d calls)%n",
            callers,
            serializer.name(),
            executor,
            seconds,
            perSecond,
            calls.sum());
      }
    } finally {
      server.getOutputStream().close();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  /** Runs the callers for this long; returns the nanoseconds it took. */
  private static long run(UserService users, int callers, int seconds, LongAdder calls)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch done = new CountDownLatch(callers);
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < callers; i++) {
      long base = i * 1_000_000L;
      Thread t =
          new Thread(
              () -> {
                try {
                  long id = base;
                  while (System.nanoTime() < end) {
                    User user = users.getUser(id++);
                    if (user.getId() != id - 1) {
                      throw new IllegalStateException("answer " + user.getId() + " to " + (id - 1));
                    }
                    if (calls != null) {
                      calls.increment();
                    }
                  }
                } finally {
                  done.countDown();
                }
              },
              "caller-" + i);
      threads.add(t);
      t.start();
    }
    done.await();
    return System.nanoTime() - start;
  }

  private static Process startServer(String executor) throws IOException {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    return new ProcessBuilder(
            java,
            "-Xmx1g",
            "-cp",
            System.getProperty("java.class.path"),
            BenchmarkServerMain.class.getName(),
            executor)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static int awaitReady(BufferedReader out) {
    try {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(BenchmarkServerMain.READY)) {
          return Integer.parseInt(line.substring(BenchmarkServerMain.READY.length()).trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("the server process ended before it was ready");
  }
}
