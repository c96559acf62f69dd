package io.minirpc.benchmark;

import io.minirpc.benchmark.RunPlan.Trial;
import io.minirpc.benchmark.grpc.GrpcUserCalls;
import io.minirpc.benchmark.report.ChartPage;
import io.minirpc.benchmark.report.Figures;
import io.minirpc.benchmark.report.Measurement;
import io.minirpc.benchmark.report.ResultFile;
import io.minirpc.benchmark.report.ResultTable;
import io.minirpc.benchmark.wire.WireBytes;
import io.minirpc.benchmark.wire.WireBytesMeter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the comparison and reports it: the main class of {@code minirpc-benchmark.jar}.
 *
 * <pre>
 * java -jar rpc-benchmark/target/minirpc-benchmark.jar [--smoke] [--backends=..] [--ops=..]
 *     [--callers=..] [--mode=blocking,async]
 * </pre>
 *
 * <p>First a short pass outside JMH counts the bytes each backend puts on the wire per call
 * (through a counting loopback proxy). Then every trial of the {@link RunPlan} runs as its own JMH
 * run of {@link UserServiceBenchmark} (blocking calls) or {@link AsyncUserServiceBenchmark}
 * (asynchronous calls): one forked client JVM, which starts and stops its own server JVM. JMH's
 * output goes to a log file per trial; the terminal gets one progress line per trial and, at the
 * end, the table. Results go to {@code target/benchmark/}: {@code jmh-result.json}, {@code
 * results.md}, {@code chart.html} and {@code results.tsv} (for programs, such as {@link
 * CompareBuilds}).
 *
 * <p>Throughput is counted, not derived: JMH counts every call of the measured iterations
 * (SampleTime times a sample of them, counts them all), divided by the measured time. The mean of
 * the samples gives the same figure by Little's law (callers / mean latency) in a closed loop; the
 * report states how close the two came, as a check on both. An asynchronous trial is counted the
 * same way, its latencies come from the fork (see {@link AsyncUserServiceBenchmark}), and Little's
 * law holds with the calls in flight in place of the callers.
 */
public final class BenchmarkRunner {

  /** The client JVM's heap: fixed, as the server's, so no backend pays for growing it. */
  private static final List<String> CLIENT_JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g");

  /**
   * Options for each trial's client JVM (the JMH fork), split at spaces, after its own: a profiler
   * agent, say, as {@value ServerProcess#SERVER_JVM_ARGS} gives the server's.
   */
  public static final String CLIENT_JVM_ARGS = "minirpc.benchmark.clientJvmArgs";

  private static final String ALLOCATION = "gc.alloc.rate.norm";

  private final RunPlan plan;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private final List<String> failures = new ArrayList<>();

  BenchmarkRunner(RunPlan plan, PrintStream out) {
    this.plan = plan;
    this.out = out;
  }

  public static void main(String[] args) throws IOException {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(RunPlan.usage());
      return;
    }
    RunPlan plan;
    try {
      plan = RunPlan.parse(args, defaultOutput());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(RunPlan.usage());
      System.exit(2);
      return;
    }
    boolean ok = new BenchmarkRunner(plan, System.out).run();
    System.exit(ok ? 0 : 1);
  }

  /** {@code target/benchmark}, beside the jar (or the classes folder) this class came from. */
  static Path defaultOutput() {
    try {
      Path code =
          Path.of(
              BenchmarkRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.toAbsolutePath().getParent().resolve("benchmark");
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("target", "benchmark");
    }
  }

  /** Runs the plan and writes the reports; {@code false} if any trial failed. */
  boolean run() throws IOException {
    Path logs = plan.outputDirectory().resolve("logs");
    Files.createDirectories(logs);
    List<Trial> trials = plan.trials();
    out.printf(
        Locale.ROOT,
        "minirpc benchmark%s: backends %s, ops %s, callers %s, modes %s: %d JMH trials, %ds in"
            + " all;%nresults in %s, JMH output in %s%n",
        plan.smoke() ? " (smoke)" : "",
        plan.backends().stream().map(Backend::id).toList(),
        plan.operations().stream().map(Operation::methodName).toList(),
        plan.callers(),
        plan.modes().stream().map(CallMode::id).toList(),
        trials.size(),
        plan.totalTrialTime().toSeconds(),
        plan.outputDirectory(),
        logs);
    if (plan.modes().contains(CallMode.ASYNC)) {
      List<String> blockingOnly =
          plan.backends().stream().filter(b -> !b.supportsAsync()).map(Backend::id).toList();
      out.printf(
          Locale.ROOT,
          "async: as many calls in flight as callers, from %d thread%s%s%n",
          plan.asyncThreads(),
          plan.asyncThreads() == 1 ? "" : "s",
          blockingOnly.isEmpty() ? "" : "; no asynchronous caller, blocking only: " + blockingOnly);
    }

    Map<Backend, Map<Operation, WireBytes>> wire =
        plan.wire() ? measureWire() : new EnumMap<>(Backend.class);

    List<RunResult> results = new ArrayList<>();
    List<Measurement> rows = new ArrayList<>();
    Duration overhead = Duration.ofSeconds(6);
    for (int i = 0; i < trials.size(); i++) {
      Trial trial = trials.get(i);
      Duration left = overhead.multipliedBy(trials.size() - (long) i);
      for (Trial next : trials.subList(i, trials.size())) {
        left = left.plus(plan.trialTime(next.callers()));
      }
      out.printf(
          Locale.ROOT,
          "[%2d/%d] %-24s %-10s %2d caller%s%s   elapsed %s, about %s left%n",
          i + 1,
          trials.size(),
          trial.label(),
          trial.operation().methodName(),
          trial.callers(),
          trial.callers() == 1 ? " " : "s",
          trial.mode() == CallMode.ASYNC
              ? String.format(Locale.ROOT, " in flight, %d thr", plan.threads(trial))
              : "",
          minutes(elapsed()),
          minutes(left));
      long trialStart = System.nanoTime();
      double wireBytes = wireBytes(wire, trial);
      Measurement row;
      try {
        RunResult result = new Runner(options(trial, logs)).runSingle();
        results.add(result);
        ServerAllocation server = ServerAllocation.read(serverAllocationFile(trial, logs));
        row =
            trial.mode() == CallMode.ASYNC
                ? asyncMeasurement(
                    trial, result, wireBytes, LatencySummary.read(latencyFile(trial, logs)), server)
                : measurement(trial, result, wireBytes, server);
        out.printf(
            Locale.ROOT,
            "        %s calls/s   p50 %s   p99 %s   p99.9 %s µs   alloc %s B/call, server %s"
                + " B/call%n",
            Figures.number(row.callsPerSecond()),
            Figures.micros(row.p50Micros()),
            Figures.micros(row.p99Micros()),
            Figures.micros(row.p999Micros()),
            Figures.number(row.allocatedBytes()),
            Figures.number(row.serverAllocatedBytes()));
      } catch (RunnerException | RuntimeException e) {
        String why = rootMessage(e);
        failures.add(trial.label() + " " + trial.operation().methodName() + ": " + why);
        row =
            Measurement.failed(
                trial.backend().id(),
                trial.mode().id(),
                trial.operation().methodName(),
                trial.callers(),
                wireBytes,
                why);
        out.printf(Locale.ROOT, "        FAILED: %s (see %s)%n", why, logs);
      }
      rows.add(row);
      Duration spent = Duration.ofNanos(System.nanoTime() - trialStart);
      // The JVM starts, JMH's setup and the server's start, averaged over the trials so far.
      Duration thisOverhead = spent.minus(plan.trialTime(trial.callers()));
      overhead =
          i == 0 ? thisOverhead : overhead.multipliedBy(i).plus(thisOverhead).dividedBy(i + 1);
    }

    String notes = notes(rows);
    writeReports(results, rows, wire, notes);
    out.println();
    out.print(new ResultTable(rows).toText());
    out.printf(
        Locale.ROOT,
        "%n%s%ntook %s; reports in %s (results.md, chart.html, jmh-result.json, results.tsv)%n",
        notes,
        minutes(elapsed()),
        plan.outputDirectory());
    if (!failures.isEmpty()) {
      out.println("FAILED:");
      failures.forEach(f -> out.println("  " + f));
    }
    return failures.isEmpty();
  }

  private Map<Backend, Map<Operation, WireBytes>> measureWire() {
    out.printf(
        Locale.ROOT,
        "[wire] bytes per call: %d calls per op after %d warm-up calls, 1 caller, through a"
            + " counting proxy%n",
        plan.wireCountedCalls(),
        plan.wireWarmupCalls());
    WireBytesMeter meter = new WireBytesMeter(plan.wireWarmupCalls(), plan.wireCountedCalls());
    Map<Backend, Map<Operation, WireBytes>> wire = new EnumMap<>(Backend.class);
    for (Backend backend : plan.backends()) {
      try {
        Map<Operation, WireBytes> bytes = meter.measure(backend, plan.operations());
        wire.put(backend, bytes);
        StringBuilder line = new StringBuilder();
        bytes.forEach(
            (op, b) ->
                line.append(
                    String.format(
                        Locale.ROOT,
                        "  %s %s+%s",
                        op.methodName(),
                        Figures.number(b.up()),
                        Figures.number(b.down()))));
        out.printf(Locale.ROOT, "[wire] %-18s%s (B up+down)%n", backend.id(), line);
      } catch (RuntimeException e) {
        String why = rootMessage(e);
        failures.add(backend.id() + " wire bytes: " + why);
        out.printf(Locale.ROOT, "[wire] %-18s FAILED: %s%n", backend.id(), why);
      }
    }
    return wire;
  }

  /** The name of a trial's files: {@code minirpc-kryo-async-getUser-32}. */
  private static String fileName(Trial trial) {
    return trial.label().replace(' ', '-')
        + "-"
        + trial.operation().methodName()
        + "-"
        + trial.callers();
  }

  private static Path latencyFile(Trial trial, Path logs) {
    return logs.resolve(fileName(trial) + "-latency.properties").toAbsolutePath();
  }

  private static Path serverAllocationFile(Trial trial, Path logs) {
    return logs.resolve(fileName(trial) + "-server-alloc.properties").toAbsolutePath();
  }

  private Options options(Trial trial, Path logs) {
    String name = fileName(trial);
    boolean async = trial.mode() == CallMode.ASYNC;
    List<String> forkOptions = new ArrayList<>();
    forkOptions.add(
        "-D"
            + UserServiceBenchmark.SERVER_LOG_PROPERTY
            + "="
            + logs.resolve(name + "-server.log").toAbsolutePath());
    forkOptions.add(
        "-D" + ServerAllocation.FILE_PROPERTY + "=" + serverAllocationFile(trial, logs));
    if (async) {
      forkOptions.add(
          "-D" + AsyncUserServiceBenchmark.LATENCY_FILE_PROPERTY + "=" + latencyFile(trial, logs));
    }
    String serverJvmArgs = System.getProperty(ServerProcess.SERVER_JVM_ARGS);
    if (serverJvmArgs != null) {
      // The forks start the servers: they pass on options for the servers' JVMs.
      forkOptions.add("-D" + ServerProcess.SERVER_JVM_ARGS + "=" + serverJvmArgs);
    }
    String clientJvmArgs = System.getProperty(CLIENT_JVM_ARGS, "").trim();
    if (!clientJvmArgs.isEmpty()) {
      // For profiling the caller's side: the fork is the client JVM.
      forkOptions.addAll(List.of(clientJvmArgs.split("\\s+")));
    }
    String grpcChannels = System.getProperty(GrpcUserCalls.CHANNELS_PROPERTY);
    if (grpcChannels != null) {
      forkOptions.add("-D" + GrpcUserCalls.CHANNELS_PROPERTY + "=" + grpcChannels);
    }
    Class<?> benchmark = async ? AsyncUserServiceBenchmark.class : UserServiceBenchmark.class;
    OptionsBuilder options = new OptionsBuilder();
    options
        .include(
            "^" + Pattern.quote(benchmark.getName() + "." + trial.operation().methodName()) + "$")
        .param("backend", trial.backend().id())
        .threads(plan.threads(trial));
    if (async) {
      options.param("inFlight", Integer.toString(trial.callers())).mode(Mode.Throughput);
    } else {
      options.mode(Mode.SampleTime).timeUnit(TimeUnit.MICROSECONDS);
    }
    return options
        .forks(1)
        .warmupIterations(plan.warmupIterations(trial.callers()))
        .warmupTime(TimeValue.milliseconds(plan.warmupTime().toMillis()))
        .measurementIterations(plan.measurementIterations())
        .measurementTime(TimeValue.milliseconds(plan.measurementTime().toMillis()))
        .addProfiler(GCProfiler.class)
        .jvmArgs(CLIENT_JVM_OPTIONS.toArray(String[]::new))
        .jvmArgsAppend(forkOptions.toArray(String[]::new))
        .output(logs.resolve(name + ".log").toString())
        .shouldFailOnError(true)
        .build();
  }

  private static Measurement measurement(
      Trial trial, RunResult result, double wireBytes, ServerAllocation server) {
    Statistics latency = result.getPrimaryResult().getStatistics();
    double mean = latency.getMean();
    double little = trial.callers() * 1e6 / mean;
    double counted = countedCallsPerSecond(result);
    Result<?> allocation = result.getSecondaryResults().get(ALLOCATION);
    return new Measurement(
        trial.backend().id(),
        trial.mode().id(),
        trial.operation().methodName(),
        trial.callers(),
        Double.isNaN(counted) ? little : counted,
        little,
        mean,
        latency.getPercentile(50),
        latency.getPercentile(99),
        latency.getPercentile(99.9),
        latency.getN(),
        wireBytes,
        allocation == null ? Double.NaN : allocation.getScore(),
        server.bytesPerCall(),
        null);
  }

  /**
   * The figures of an asynchronous trial: JMH's count of the calls started, its allocation, the
   * fork's latencies of the calls that completed and the server's allocation per call, all over the
   * measured iterations.
   */
  private static Measurement asyncMeasurement(
      Trial trial,
      RunResult result,
      double wireBytes,
      LatencySummary latency,
      ServerAllocation server) {
    double counted = countedCallsPerSecond(result);
    Result<?> allocation = result.getSecondaryResults().get(ALLOCATION);
    return new Measurement(
        trial.backend().id(),
        trial.mode().id(),
        trial.operation().methodName(),
        trial.callers(),
        counted,
        trial.callers() * 1e6 / latency.meanMicros(),
        latency.meanMicros(),
        latency.p50Micros(),
        latency.p99Micros(),
        latency.p999Micros(),
        latency.calls(),
        wireBytes,
        allocation == null ? Double.NaN : allocation.getScore(),
        server.bytesPerCall(),
        null);
  }

  /**
   * Calls per second over the measured iterations, from JMH's own count of the calls each thread
   * made inside each iteration's measured time (the calls of the synchronising phases before and
   * after it, and the trial's setup and teardown, are left out).
   */
  private static double countedCallsPerSecond(RunResult result) {
    long calls = 0;
    double seconds = 0;
    for (BenchmarkResult fork : result.getBenchmarkResults()) {
      for (IterationResult iteration : fork.getIterationResults()) {
        calls += iteration.getMetadata().getMeasuredOps();
        seconds += iteration.getParams().getTime().convertTo(TimeUnit.NANOSECONDS) / 1e9;
      }
    }
    return seconds > 0 ? calls / seconds : Double.NaN;
  }

  private static double wireBytes(Map<Backend, Map<Operation, WireBytes>> wire, Trial trial) {
    Map<Operation, WireBytes> bytes = wire.get(trial.backend());
    WireBytes b = bytes == null ? null : bytes.get(trial.operation());
    return b == null ? Double.NaN : b.total();
  }

  private void writeReports(
      List<RunResult> results,
      List<Measurement> rows,
      Map<Backend, Map<Operation, WireBytes>> wire,
      String notes)
      throws IOException {
    Path dir = plan.outputDirectory();
    ResultFormatFactory.getInstance(
            ResultFormatType.JSON, dir.resolve("jmh-result.json").toString())
        .writeOut(results);
    String title = "minirpc vs gRPC-java: UserService workload" + (plan.smoke() ? " (smoke)" : "");
    StringBuilder md = new StringBuilder();
    md.append("# ").append(title).append("\n\n");
    md.append("```\n").append(notes).append("\n```\n\n");
    md.append(new ResultTable(rows).toMarkdown());
    if (plan.wire()) {
      appendWireTable(md, wire);
    }
    Files.writeString(dir.resolve("results.md"), md, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("results.tsv"), ResultFile.format(rows), StandardCharsets.UTF_8);
    List<String> backendIds = plan.backends().stream().map(Backend::id).toList();
    Files.writeString(
        dir.resolve("chart.html"),
        new ChartPage(rows, backendIds, title, notes).toHtml(),
        StandardCharsets.UTF_8);
  }

  private void appendWireTable(StringBuilder md, Map<Backend, Map<Operation, WireBytes>> wire) {
    md.append("\n## Bytes on the wire per call, up (to the server) + down\n\n");
    md.append("| backend |");
    plan.operations().forEach(op -> md.append(' ').append(op.methodName()).append(" |"));
    md.append("\n| --- |");
    plan.operations().forEach(op -> md.append(" ---: |"));
    md.append('\n');
    for (Backend backend : plan.backends()) {
      md.append("| ").append(backend.id()).append(" |");
      Map<Operation, WireBytes> bytes = wire.get(backend);
      for (Operation op : plan.operations()) {
        WireBytes b = bytes == null ? null : bytes.get(op);
        md.append(' ')
            .append(b == null ? "-" : Figures.number(b.up()) + " + " + Figures.number(b.down()))
            .append(" |");
      }
      md.append('\n');
    }
  }

  /** How the figures were made, for the reports and the terminal. */
  private String notes(List<Measurement> rows) {
    double worst = Double.NaN;
    double fewestInFlight = Double.POSITIVE_INFINITY;
    double mostInFlight = 0;
    for (Measurement m : rows) {
      if (m.succeeded() && !m.mode().equals(Measurement.BLOCKING)) {
        double fraction = m.callsPerSecond() * m.meanMicros() / 1e6 / m.callers();
        fewestInFlight = Math.min(fewestInFlight, fraction);
        mostInFlight = Math.max(mostInFlight, fraction);
      } else if (m.succeeded()) {
        double gap = Math.abs(m.littleCallsPerSecond() - m.callsPerSecond()) / m.callsPerSecond();
        worst = Double.isNaN(worst) ? gap : Math.max(worst, gap);
      }
    }
    Runtime runtime = Runtime.getRuntime();
    String async =
        !plan.modes().contains(CallMode.ASYNC)
            ? ""
            : String.format(
                Locale.ROOT,
                """

                async rows: %d JMH threads (fewer if fewer callers) keep "callers" calls in flight between them,
                  each completed call letting its thread start the next; JMH Throughput counts the calls started;
                  p50/p99/p99.9: every call completed in the measured iterations, from its start to its
                  completion, recorded in the fork (HdrHistogram, 3 digits). Calls really in flight on average
                  (calls/s x mean latency, Little's law) were %s of "callers": a completed call's slot
                  waits for its thread to start the next.""",
                plan.asyncThreads(),
                mostInFlight == 0
                    ? "-"
                    : String.format(
                        Locale.ROOT, "%.0f%% to %.0f%%", fewestInFlight * 100, mostInFlight * 100));
    return String.format(
        Locale.ROOT,
        """
        %s; %d cores; Java %s (%s); %s
        Each trial: a JMH fork (the client JVM, %s) that starts its own server JVM (%s) over loopback;
        JMH SampleTime, %d x %ds warm-up (%d at 1 caller), %d x %ds measured; callers = JMH threads calling back to back.
        calls/s: every call of the measured iterations, counted by JMH, over their time;
          callers / mean sampled latency (Little's law) is within %s of it in every blocking trial.
        p50/p99/p99.9: JMH's sampled latencies of single calls, in microseconds.
        B/call: bytes on the wire per call, both ways (payload and protocol framing, no TCP/IP headers),
          from a separate pass: 1 caller, %d calls after %d warm-up, through a counting loopback proxy.
        alloc B/call: bytes allocated per call in the client JVM (JMH -prof gc, gc.alloc.rate.norm).
        server alloc B/call: bytes the server JVM's threads allocated in the measured iterations (its
          total allocated bytes, asked for at each one's start and end) over the calls made in them.%s""",
        ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
        runtime.availableProcessors(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        String.join(" ", CLIENT_JVM_OPTIONS),
        String.join(" ", ServerProcess.SERVER_JVM_OPTIONS),
        plan.warmupIterations(),
        plan.warmupTime().toSeconds(),
        plan.singleCallerWarmupIterations(),
        plan.measurementIterations(),
        plan.measurementTime().toSeconds(),
        Double.isNaN(worst) ? "-" : String.format(Locale.ROOT, "%.1f%%", worst * 100),
        plan.wireCountedCalls(),
        plan.wireWarmupCalls(),
        async);
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static String minutes(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
