package io.minirpc.example.scaleout;

import io.minirpc.Provider;
import io.minirpc.ProviderState;
import io.minirpc.Registry;
import io.minirpc.RpcException;
import io.minirpc.ServiceName;
import io.minirpc.client.RpcClient;
import io.minirpc.cluster.RoundRobinLoadBalancer;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;

/**
 * The caller of the scale-out test ({@code scripts/scaleout-netns.sh}): finds the providers of
 * {@link NodeNameService} through ZooKeeper, calls them at a steady rate while the script kills
 * servers, and prints the figures of what it saw ({@link ScaleOutReport}).
 *
 * <p>Usage: {@code java -cp minirpc-example.jar io.minirpc.example.scaleout.ScaleOutCaller
 * --zookeeper 10.213.0.11:2181,10.213.0.12:2181,10.213.0.13:2181 [--providers 3] [--rate 100]
 * [--delay-ms 100] [--max-seconds 75] [--session-timeout-ms 8000]}: {@code --rate} calls per
 * second, each answered {@code --delay-ms} after it reaches its provider, once the client knows
 * {@code --providers} providers; it prints {@code CALLER READY} when each of them has answered.
 *
 * <p>It reads commands on its standard input: {@code mark <epoch ms> zookeeper|provider
 * <host:port>} tells it when the script killed which server, and {@code stop} (or the end of the
 * input, or {@code --max-seconds} after the start) ends the calls. It waits for the calls in
 * flight, prints the report, and exits 0 if the run kept minirpc's promises, 1 if not, 2 on bad
 * arguments. Meanwhile it prints {@code EVENT <epoch ms> <kind> <details>} lines (its ZooKeeper
 * connection, the providers listed, the client's view of each) and a {@code STATUS} line every
 * second.
 */
public final class ScaleOutCaller {

  /** The line the caller prints once every provider has answered a call. */
  public static final String READY = "CALLER READY";

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final long WATCH_PERIOD_MILLIS = 10;

  private final Timeline timeline = new Timeline();
  private final EventLog events;
  private final int expectedProviders;
  private final AtomicLong nextCall = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> providersKnown = new CompletableFuture<>();
  private final CompletableFuture<Void> allAnswered = new CompletableFuture<>();
  private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();

  // Only read and written by the watch task.
  private Map<String, ProviderState> known = Map.of();
  private long lastStatus;

  private volatile boolean stopping;
  private volatile long callsToDrain = Long.MAX_VALUE;
  private volatile String session = "NONE";

  private ScaleOutCaller(EventLog events, int expectedProviders) {
    this.events = events;
    this.expectedProviders = expectedProviders;
  }

  public static void main(String[] args) throws Exception {
    Arguments arguments;
    try {
      arguments =
          Arguments.parse(
              args,
              Set.of(
                  "zookeeper",
                  "providers",
                  "rate",
                  "delay-ms",
                  "max-seconds",
                  "session-timeout-ms"));
      arguments.required("zookeeper");
      if (arguments.integer("rate", 100) < 1 || arguments.integer("providers", 3) < 1) {
        throw new IllegalArgumentException("--rate and --providers must be positive");
      }
    } catch (IllegalArgumentException e) {
      System.err.println(
          e.getMessage()
              + "\nusage: ScaleOutCaller --zookeeper HOST:PORT[,HOST:PORT...] [--providers N]"
              + " [--rate CALLS_PER_SECOND] [--delay-ms MS] [--max-seconds S]"
              + " [--session-timeout-ms MS]");
      System.exit(2);
      return;
    }
    EventLog events = new EventLog(System.out);
    ScaleOutCaller caller = new ScaleOutCaller(events, arguments.integer("providers", 3));
    int exitCode;
    CuratorFramework curator =
        Curators.start(
            arguments.required("zookeeper"),
            arguments.millis("session-timeout-ms", Curators.DEFAULT_SESSION_TIMEOUT),
            events,
            caller::sessionChanged);
    try (ZooKeeperRegistry registry = ZooKeeperRegistry.builder().client(curator).build();
        RpcClient client =
            RpcClient.builder()
                .registry(registry)
                .loadBalancer(
                    NodeNameService.class,
                    new RecordingLoadBalancer(RoundRobinLoadBalancer.create(), caller.timeline))
                .timeout(CALL_TIMEOUT)
                .attemptTimeout(ATTEMPT_TIMEOUT)
                .build()) {
      exitCode =
          caller.run(
              registry,
              client,
              arguments.integer("rate", 100),
              arguments.integer("delay-ms", 100),
              Duration.ofSeconds(arguments.integer("max-seconds", 75)));
    } catch (IllegalStateException e) {
      events.line("FAILED " + e.getMessage());
      exitCode = 1;
    } finally {
      curator.close();
    }
    System.exit(exitCode);
  }

  private int run(
      ZooKeeperRegistry registry, RpcClient client, int rate, int delayMillis, Duration maxTime)
      throws InterruptedException {
    long deadline = System.nanoTime() + maxTime.toNanos();
    long maxCalls = rate * maxTime.toSeconds();
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(daemon("watch"));
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor(daemon("load"));
    Registry.Subscription subscription =
        registry.subscribe(ServiceName.of(NodeNameService.class), this::listed);
    try {
      NodeNameService stub = client.stub(NodeNameService.class);
      watcher.scheduleWithFixedDelay(
          () -> {
            try {
              watch(client);
            } catch (RuntimeException e) {
              // A scheduled task that throws is never run again: report it, and watch on.
              events.line("WATCH FAILED " + e);
            }
          },
          0,
          WATCH_PERIOD_MILLIS,
          TimeUnit.MILLISECONDS);
      readCommands();
      await(providersKnown, STARTUP, "the client to know " + expectedProviders + " providers");
      load.scheduleAtFixedRate(
          () -> call(stub, delayMillis, maxCalls),
          0,
          TimeUnit.SECONDS.toNanos(1) / rate,
          TimeUnit.NANOSECONDS);
      await(allAnswered, STARTUP, "a call answered by each of the providers");
      events.line(READY);
      try {
        stopRequested.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        events.line("NOTE no stop command within --max-seconds " + maxTime.toSeconds());
      } catch (ExecutionException e) {
        throw new IllegalStateException("reading commands failed", e.getCause());
      }
      stopping = true;
      load.shutdown();
      if (!load.awaitTermination(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the load did not stop");
      }
      callsToDrain = nextCall.get();
      await(drained, CALL_TIMEOUT.plusSeconds(2), "the calls in flight to end");
    } finally {
      load.shutdownNow();
      watcher.shutdownNow();
      subscription.close();
    }
    ScaleOutReport report = ScaleOutReport.of(timeline);
    report.print(System.out);
    return report.passed() ? 0 : 1;
  }

  /** One call of the steady load, recorded when it ends. */
  private void call(NodeNameService stub, int delayMillis, long maxCalls) {
    if (stopping || nextCall.get() >= maxCalls) {
      return;
    }
    long call = nextCall.getAndIncrement();
    CompletableFuture<String> answer;
    try {
      answer = stub.nodeName(call, delayMillis);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (name, failure) -> {
          long now = System.currentTimeMillis();
          if (failure == null) {
            timeline.answered(call, now, name);
            answers.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
            if (answers.size() >= expectedProviders) {
              allAnswered.complete(null);
            }
          } else {
            timeline.failed(call, now, describe(failure));
            failures.incrementAndGet();
          }
          completed.incrementAndGet();
        });
  }

  /** Every few milliseconds: the client's view of each provider, and the conditions awaited. */
  private void watch(RpcClient client) {
    long now = System.currentTimeMillis();
    Map<String, ProviderState> states = client.providerStates().byAddress();
    states.forEach(
        (address, state) -> {
          if (state != known.get(address)) {
            timeline.stateChanged(now, address, state.name());
            events.print(now, "state", address + " " + state);
          }
        });
    for (String address : known.keySet()) {
      if (!states.containsKey(address)) {
        timeline.stateChanged(now, address, Timeline.StateChange.GONE);
        events.print(now, "state", address + " " + Timeline.StateChange.GONE);
      }
    }
    known = states;
    if (states.size() >= expectedProviders) {
      providersKnown.complete(null);
    }
    if (completed.get() >= callsToDrain) {
      drained.complete(null);
    }
    if (now - lastStatus >= 1000) {
      lastStatus = now;
      Map<String, Long> byProvider = new TreeMap<>();
      answers.forEach((name, count) -> byProvider.put(name, count.get()));
      events.line(
          "STATUS "
              + now
              + " calls="
              + completed.get()
              + " failed="
              + failures.get()
              + " answers="
              + byProvider
              + " providers="
              + states
              + " zookeeper="
              + session);
    }
  }

  private void listed(List<Provider> providers) {
    long now = System.currentTimeMillis();
    List<String> addresses = providers.stream().map(Provider::address).toList();
    timeline.listed(now, addresses);
    events.print(now, "providers", addresses.size() + " " + String.join(",", addresses));
  }

  private void sessionChanged(long at, ConnectionState state) {
    session = state.name();
    timeline.session(at, state.name());
  }

  /** Reads the script's commands on a thread of their own until {@code stop} or the input's end. */
  private void readCommands() {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  String[] words = line.trim().split("\\s+");
                  if (words[0].equals("stop")) {
                    break;
                  }
                  command(words, line);
                }
                stopRequested.complete(null);
              } catch (IOException e) {
                stopRequested.completeExceptionally(new UncheckedIOException(e));
              }
            },
            "scaleout-commands");
    reader.setDaemon(true);
    reader.start();
  }

  private void command(String[] words, String line) {
    long now = System.currentTimeMillis();
    if (words.length == 4
        && words[0].equals("mark")
        && (words[2].equals("zookeeper") || words[2].equals("provider"))) {
      try {
        long at = Long.parseLong(words[1]);
        timeline.mark(at, words[2], words[3]);
        events.print(now, "marked", words[2] + " " + words[3] + " killed at " + at);
        return;
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    events.line("IGNORED unknown command: " + line);
  }

  private static String describe(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    // An RpcException's message starts with its status code.
    return cause instanceof RpcException ? cause.getMessage() : cause.toString();
  }

  private static void await(CompletableFuture<Void> condition, Duration within, String what)
      throws InterruptedException {
    try {
      condition.get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + within + " waiting for " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("failed waiting for " + what, e.getCause());
    }
  }

  private static ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, "scaleout-" + name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
