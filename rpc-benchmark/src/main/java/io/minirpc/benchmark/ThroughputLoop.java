package io.minirpc.benchmark;

import io.minirpc.Serializer;
import io.minirpc.client.RpcClient;
import io.minirpc.example.user.Page;
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
 * A small throughput loop: {@code getUser} (or {@code listUser}) calls from N concurrent callers in
 * this JVM to a server in a second JVM, for a warm-up and then a measured period; prints calls per
 * second.
 *
 * <p>Usage: {@code java -jar rpc-benchmark/target/minirpc-benchmark.jar [callers] [seconds]
 * [kryo|json] [pool|pool:N|direct] [getUser|listUser]}; defaults 32 callers, 10 seconds, kryo, pool
 * (the server's business executor; {@code pool:N} gives it N threads; {@code direct} runs service
 * methods on its I/O threads), getUser. JMH benchmarks come later; this gives one honest figure
 * quickly.
 *
 * <p>The system property {@value #SERVER_JVM_ARGS} adds space-separated options to the server's
 * JVM, for example {@code -XX:StartFlightRecording=filename=server.jfr} to profile it.
 */
public final class ThroughputLoop {

  /** Extra options for the server's JVM, separated by spaces. */
  static final String SERVER_JVM_ARGS = "minirpc.benchmark.serverJvmArgs";

  private ThroughputLoop() {}

  public static void main(String[] args) throws Exception {
    int callers = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String serializerName = args.length > 2 ? args[2] : "kryo";
    String executor = args.length > 3 ? args[3] : "pool";
    String method = args.length > 4 ? args[4] : "getUser";
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
        CallLoop loop = loop(method, users);
        run(loop, callers, Math.max(2, seconds / 2), null);
        // Tools that sample the processes' counters wait for this line.
        System.out.println("Warmed up; measuring for " + seconds + " s");
        System.out.flush();
        LongAdder calls = new LongAdder();
        long elapsed = run(loop, callers, seconds, calls);
        double perSecond = calls.sum() * 1e9 / elapsed;
        System.out.printf(
            Locale.ROOT,
            "%s: %d callers, %s, server executor %s, %d s: %,.0f calls/s (%d calls)%n",
            method,
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

  /** One call with the given id; throws if the answer is not the one expected. */
  private interface CallLoop {
    void call(long id);
  }

  private static CallLoop loop(String method, UserService users) {
    return switch (method) {
      case "getUser" ->
          id -> {
            User user = users.getUser(id);
            if (user.getId() != id) {
              throw new IllegalStateException("answer " + user.getId() + " to " + id);
            }
          };
      case "listUser" ->
          id -> {
            Page<User> page = users.listUser((int) id);
            if (page.getPageNo() != (int) id || page.getResult().size() != 15) {
              throw new IllegalStateException("page " + page.getPageNo() + " to " + (int) id);
            }
          };
      default -> throw new IllegalArgumentException("method: getUser or listUser");
    };
  }

  /** Runs the callers for this long; returns the nanoseconds it took. */
  private static long run(CallLoop loop, int callers, int seconds, LongAdder calls)
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
                    loop.call(id++);
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
    List<String> command = new ArrayList<>(List.of(java, "-Xmx1g"));
    String extra = System.getProperty(SERVER_JVM_ARGS, "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            BenchmarkServerMain.class.getName(),
            executor));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
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
