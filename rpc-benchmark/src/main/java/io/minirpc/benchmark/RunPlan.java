package io.minirpc.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one run of {@link BenchmarkRunner} measures: which backends, operations, numbers of
 * concurrent callers and call modes, and how long each JMH trial warms up and measures. Built from
 * the runner's arguments.
 *
 * <p>The full plan takes about 16 minutes on two cores (15 without the ceiling's trials): 42 trials
 * of 15 to 25 seconds, the six backends and the bare-Netty ceiling, each trial a fresh client JVM
 * (one JMH fork) and a fresh server JVM, with 8 warm-up iterations of 2 s (5 for a single caller;
 * see {@link #warmupIterations(int)}) and 2 measured iterations of 2 s. Every operation runs at 32
 * callers; at 1 caller only {@code getUser} and {@code listUser}, the smallest and the largest
 * answer, which bound the single caller's latency of the other two. The smoke plan runs {@code
 * getUser} at 32 callers on every backend with 1 warm-up iteration of 2 s and 2 measured iterations
 * of 1 s, to show in about a minute that every backend works end to end.
 *
 * <p>Both plans call in the {@link CallMode#BLOCKING blocking} mode only, unless {@code --mode=}
 * asks for {@link CallMode#ASYNC async} calls too: then every trial of a backend with an
 * asynchronous caller (all of them today) runs once more with the same calls in flight, made by
 * {@link #asyncThreads()} threads (2 by default; fewer if there are fewer callers). With both modes
 * the full plan has 84 trials and takes about 32 minutes.
 */
public record RunPlan(
    boolean smoke,
    List<Backend> backends,
    List<Operation> operations,
    List<Operation> singleCallerOperations,
    List<Integer> callers,
    List<CallMode> modes,
    int asyncThreads,
    int warmupIterations,
    int singleCallerWarmupIterations,
    Duration warmupTime,
    int measurementIterations,
    Duration measurementTime,
    int wireWarmupCalls,
    int wireCountedCalls,
    boolean wire,
    Path outputDirectory) {

  static final String USAGE =
      """
      usage: java -jar minirpc-benchmark.jar [--smoke] [--backends=a,b] [--ops=a,b] [--callers=1,32]
                                             [--mode=blocking,async] [--async-threads=N] [--out=DIR]

        --smoke        getUser at 32 callers on every backend, a few seconds each (1 to 2 minutes)
        --backends=    some of %s
                       (default: all but minirpc-kryo-direct)
        --ops=         some of %s (default: all; smoke: getUser)
        --callers=     numbers of concurrent callers (default: 32, and 1 for getUser and listUser;
                       smoke: 32)
        --mode=        some of %s (default: blocking): blocking calls, one thread
                       per caller, or asynchronous calls, as many in flight as callers, from a
                       few threads (both modes: about 32 minutes)
        --async-threads=N  threads making the asynchronous calls (default: 2)
        --warmup=N     warm-up iterations of 2 s per trial (default: 8 at 32 callers, 5 at 1)
        --no-wire      skip the pass that counts the bytes on the wire per call
        --out=DIR      where results go (default: target/benchmark beside the jar)
      """;

  /** One JMH trial of the plan. */
  public record Trial(Backend backend, Operation operation, int callers, CallMode mode) {

    /**
     * The name of the trial's row in the reports: {@code minirpc-kryo} or {@code grpc-direct
     * async}.
     */
    public String label() {
      return mode == CallMode.BLOCKING ? backend.id() : backend.id() + " " + mode.id();
    }
  }

  public RunPlan {
    backends = List.copyOf(backends);
    operations = List.copyOf(operations);
    singleCallerOperations = List.copyOf(singleCallerOperations);
    callers = List.copyOf(callers);
    modes = List.copyOf(modes);
  }

  /**
   * The plan of these arguments.
   *
   * @throws IllegalArgumentException for an unknown argument or name; the message says which
   */
  public static RunPlan parse(String[] args, Path defaultOutput) {
    boolean smoke = Arrays.asList(args).contains("--smoke");
    List<Backend> backends = Backend.compared();
    List<Operation> operations = smoke ? List.of(Operation.GET_USER) : List.of(Operation.values());
    List<Integer> callers = smoke ? List.of(32) : List.of(32, 1);
    List<CallMode> modes = List.of(CallMode.BLOCKING);
    int asyncThreads = 2;
    boolean wire = true;
    Path out = defaultOutput;
    int warmups = -1;
    boolean chosen = false;
    for (String arg : args) {
      if (arg.equals("--smoke")) {
        continue;
      } else if (arg.startsWith("--backends=")) {
        backends = split(arg).stream().map(Backend::named).toList();
      } else if (arg.startsWith("--ops=")) {
        operations = split(arg).stream().map(Operation::named).toList();
        chosen = true;
      } else if (arg.startsWith("--callers=")) {
        callers = split(arg).stream().map(RunPlan::callers).toList();
        chosen = true;
      } else if (arg.startsWith("--mode=")) {
        modes = split(arg).stream().map(CallMode::named).distinct().toList();
      } else if (arg.startsWith("--async-threads=")) {
        asyncThreads = positive("async threads", arg.substring("--async-threads=".length()));
      } else if (arg.equals("--no-wire")) {
        wire = false;
      } else if (arg.startsWith("--warmup=")) {
        warmups = Integer.parseInt(arg.substring("--warmup=".length()));
      } else if (arg.startsWith("--out=")) {
        out = Path.of(arg.substring("--out=".length()));
      } else {
        throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    // Unless asked for, a single caller runs only the smallest and the largest answer.
    List<Operation> single =
        chosen || smoke
            ? operations
            : operations.stream()
                .filter(op -> op == Operation.GET_USER || op == Operation.LIST_USER)
                .toList();
    if (smoke) {
      return new RunPlan(
          true,
          backends,
          operations,
          single,
          callers,
          modes,
          asyncThreads,
          warmups < 0 ? 1 : warmups,
          warmups < 0 ? 1 : warmups,
          Duration.ofSeconds(2),
          2,
          Duration.ofSeconds(1),
          50,
          200,
          wire,
          out);
    }
    return new RunPlan(
        false,
        backends,
        operations,
        single,
        callers,
        modes,
        asyncThreads,
        warmups < 0 ? 8 : warmups,
        warmups < 0 ? 5 : warmups,
        Duration.ofSeconds(2),
        2,
        Duration.ofSeconds(2),
        200,
        1000,
        wire,
        out);
  }

  /** The usage text, with the names of the backends, operations and modes. */
  static String usage() {
    return USAGE.formatted(
        Arrays.stream(Backend.values()).map(Backend::id).toList(),
        Operation.names(),
        CallMode.names());
  }

  /**
   * The trials in the order they run: by callers, then operation, then mode, then backend; an
   * asynchronous trial only for the backends that {@linkplain Backend#supportsAsync() have an
   * asynchronous caller}.
   */
  public List<Trial> trials() {
    List<Trial> trials = new ArrayList<>();
    for (int n : callers) {
      for (Operation operation : n == 1 ? singleCallerOperations : operations) {
        for (CallMode mode : modes) {
          for (Backend backend : backends) {
            if (mode == CallMode.BLOCKING || backend.supportsAsync()) {
              trials.add(new Trial(backend, operation, n, mode));
            }
          }
        }
      }
    }
    return trials;
  }

  /**
   * The threads that make a trial's calls: one per caller when blocking; {@link #asyncThreads()},
   * or fewer when there are fewer callers, when asynchronous.
   */
  public int threads(Trial trial) {
    return trial.mode() == CallMode.BLOCKING
        ? trial.callers()
        : Math.min(asyncThreads, trial.callers());
  }

  /**
   * The warm-up iterations of a trial with this many callers. With 32 callers on two cores the JIT
   * compiler competes with them for the CPU: gRPC's calls reach their steady latency only after
   * about 16 s, minirpc's after about 8 s. A single caller leaves the compiler a core, and both get
   * there in about half the time.
   */
  public int warmupIterations(int callers) {
    return callers == 1 ? singleCallerWarmupIterations : warmupIterations;
  }

  /**
   * How long the trials warm up and measure, in words: README.md quotes it, and RunPlanTest checks
   * that it still does.
   */
  public String iterationsInWords() {
    String warmup = iterations(warmupIterations, "warm-up", warmupTime);
    if (singleCallerOperations.isEmpty() || !callers.contains(1)) {
      return warmup + " and " + iterations(measurementIterations, "measured", measurementTime);
    }
    return warmup
        + " ("
        + singleCallerWarmupIterations
        + " at 1 caller) and "
        + iterations(measurementIterations, "measured", measurementTime);
  }

  private static String iterations(int count, String kind, Duration each) {
    return count + " " + kind + " iteration" + (count == 1 ? "" : "s") + " of " + seconds(each);
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** The JMH time of one trial with this many callers: its warm-up and measured iterations. */
  public Duration trialTime(int callers) {
    return warmupTime
        .multipliedBy(warmupIterations(callers))
        .plus(measurementTime.multipliedBy(measurementIterations));
  }

  /** The JMH time of every trial of the plan. */
  public Duration totalTrialTime() {
    return trials().stream().map(t -> trialTime(t.callers())).reduce(Duration.ZERO, Duration::plus);
  }

  private static List<String> split(String arg) {
    String value = arg.substring(arg.indexOf('=') + 1);
    List<String> parts = Arrays.stream(value.split(",")).map(String::trim).toList();
    if (value.isBlank() || parts.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("empty value in " + arg);
    }
    return parts;
  }

  private static int callers(String value) {
    return positive("callers", value);
  }

  private static int positive(String what, String value) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be whole numbers: " + value, e);
    }
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be at least 1: " + n);
    }
    return n;
  }
}
