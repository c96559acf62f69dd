package io.minirpc.benchmark;

import io.minirpc.Serializer;
import io.minirpc.benchmark.minirpc.MinirpcServer;
import io.minirpc.client.RpcClient;
import io.minirpc.example.user.Page;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserService;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.serialize.KryoSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small throughput loop: {@code getUser} (or {@code listUser}) calls from N concurrent callers in
 * this JVM to a server in a second JVM, for a warm-up and then a measured period; prints calls per
 * second.
 *
 * <p>Usage: {@code java -cp rpc-benchmark/target/minirpc-benchmark.jar
 * io.minirpc.benchmark.ThroughputLoop [callers] [seconds] [kryo|json] [pool|pool:N|direct]
 * [getUser|listUser]}; defaults 32 callers, 10 seconds, kryo, pool (the server's business executor;
 * {@code pool:N} gives it N threads; {@code direct} runs service methods on its I/O threads),
 * getUser. {@link BenchmarkRunner} makes the full comparison with JMH; this gives one figure
 * quickly, for profiling.
 *
 * <p>The system property {@value ServerProcess#SERVER_JVM_ARGS} adds space-separated options to the
 * server's JVM, for example {@code -XX:StartFlightRecording=filename=server.jfr} to profile it.
 */
public final class ThroughputLoop {

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
    try (ServerProcess server = startServer(executor)) {
      try (RpcClient client =
          RpcClient.builder()
              .addresses("127.0.0.1:" + server.port())
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

  /** The Kryo backend's server (which serves JSON too) with the business executor asked for. */
  private static ServerProcess startServer(String executor) {
    if (executor.equals("direct")) {
      return ServerProcess.start(Backend.MINIRPC_KRYO_DIRECT, null);
    }
    List<String> options = new ArrayList<>();
    if (executor.startsWith("pool:")) {
      int threads = Integer.parseInt(executor.substring("pool:".length()));
      options.add("-D" + MinirpcServer.WORKER_THREADS + "=" + threads);
    } else if (!executor.equals("pool")) {
      throw new IllegalArgumentException("executor: pool, pool:N or direct");
    }
    return ServerProcess.start(Backend.MINIRPC_KRYO, null, options);
  }
}
