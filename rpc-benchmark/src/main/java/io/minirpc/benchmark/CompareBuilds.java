package io.minirpc.benchmark;

import io.minirpc.benchmark.RunPlan.Trial;
import io.minirpc.benchmark.grpc.GrpcUserCalls;
import io.minirpc.benchmark.report.Comparison;
import io.minirpc.benchmark.report.Comparison.Pair;
import io.minirpc.benchmark.report.Figures;
import io.minirpc.benchmark.report.Measurement;
import io.minirpc.benchmark.report.ResultFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs one plan against two builds of {@code minirpc-benchmark.jar}, interleaved trial by trial
 * (the base build's trial, then the candidate's, then the next trial), so that both see the same
 * machine noise, and prints one table with both figures and the ratio candidate / base.
 *
 * <pre>
 * java -cp minirpc-benchmark.jar io.minirpc.benchmark.CompareBuilds \
 *     --base=before.jar --candidate=after.jar [plan arguments] [--out=DIR]
 * </pre>
 *
 * <p>The plan arguments are {@link BenchmarkRunner}'s ({@code --smoke}, {@code --backends=}, {@code
 * --ops=}, {@code --callers=}, {@code --mode=}, ...). Each trial of each build is a run of that
 * build's own runner in a child process ({@code java -jar <build> --backends=<one> --ops=<one>
 * --callers=<one> --mode=<one> --no-wire --out=<dir>}), so each gets a fresh client and server JVM
 * from its own jar, as in a normal run; its figures are read back from the {@code results.tsv} it
 * writes. The children skip the bytes-on-the-wire pass, which no ratio here uses. Both builds must
 * contain this class's runner (the {@code --mode} and {@code --no-wire} arguments and {@code
 * results.tsv}). Results go to {@code DIR} (default {@code target/compare} beside this jar): each
 * child's output under {@code DIR/<trial>/}, and the table in {@code compare.md}.
 */
public final class CompareBuilds {

  /** The arguments of a comparison. */
  record Arguments(Path base, Path candidate, RunPlan plan, List<String> passedOn, Path out) {

    /**
     * The comparison of these arguments.
     *
     * @throws IllegalArgumentException if a build is missing or an argument is unknown
     */
    static Arguments parse(String[] args, Path defaultOutput) {
      Path base = null;
      Path candidate = null;
      Path out = defaultOutput;
      List<String> planArgs = new ArrayList<>();
      List<String> passedOn = new ArrayList<>();
      for (String arg : args) {
        if (arg.startsWith("--base=")) {
          base = Path.of(arg.substring("--base=".length()));
        } else if (arg.startsWith("--candidate=")) {
          candidate = Path.of(arg.substring("--candidate=".length()));
        } else if (arg.startsWith("--out=")) {
          out = Path.of(arg.substring("--out=".length()));
        } else {
          planArgs.add(arg);
          // Each child runs one trial, named by its own arguments; the rest applies to all.
          if (!arg.startsWith("--backends=")
              && !arg.startsWith("--ops=")
              && !arg.startsWith("--callers=")
              && !arg.startsWith("--mode=")
              && !arg.equals("--no-wire")) {
            passedOn.add(arg);
          }
        }
      }
      if (base == null || candidate == null) {
        throw new IllegalArgumentException("both --base=JAR and --candidate=JAR are needed");
      }
      RunPlan plan = RunPlan.parse(planArgs.toArray(String[]::new), out);
      return new Arguments(base, candidate, plan, List.copyOf(passedOn), out);
    }

    /** The runner's arguments that make one build run just this trial into this folder. */
    List<String> childArguments(Trial trial, Path dir) {
      List<String> command = new ArrayList<>();
      command.add("--backends=" + trial.backend().id());
      command.add("--ops=" + trial.operation().methodName());
      command.add("--callers=" + trial.callers());
      command.add("--mode=" + trial.mode().id());
      command.add("--no-wire");
      command.addAll(passedOn);
      command.add("--out=" + dir);
      return command;
    }
  }

  private static final String USAGE =
      """
      usage: java -cp minirpc-benchmark.jar io.minirpc.benchmark.CompareBuilds \\
                 --base=A.jar --candidate=B.jar [plan arguments of minirpc-benchmark.jar] [--out=DIR]
      runs each trial of the plan on A, then on B, then the next trial, and prints B/A per trial
      """;

  private final Arguments arguments;
  private final PrintStream out;
  private final long start = System.nanoTime();

  private CompareBuilds(Arguments arguments, PrintStream out) {
    this.arguments = arguments;
    this.out = out;
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(USAGE);
      return;
    }
    Arguments arguments;
    try {
      arguments = Arguments.parse(args, BenchmarkRunner.defaultOutput().resolveSibling("compare"));
      for (Path jar : List.of(arguments.base(), arguments.candidate())) {
        if (!Files.isRegularFile(jar)) {
          throw new IllegalArgumentException("no such jar: " + jar);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    boolean ok = new CompareBuilds(arguments, System.out).run();
    System.exit(ok ? 0 : 1);
  }

  private boolean run() throws IOException, InterruptedException {
    Files.createDirectories(arguments.out());
    List<Trial> trials = arguments.plan().trials();
    out.printf(
        Locale.ROOT,
        "comparing A = %s with B = %s: %d trials, each on A then on B; output in %s%n",
        arguments.base(),
        arguments.candidate(),
        trials.size(),
        arguments.out());
    List<Pair> pairs = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < trials.size(); i++) {
      Trial trial = trials.get(i);
      String name =
          String.format(
              Locale.ROOT,
              "%02d-%s-%s-%d",
              i + 1,
              trial.label().replace(' ', '-'),
              trial.operation().methodName(),
              trial.callers());
      out.printf(
          Locale.ROOT,
          "[%2d/%d] %-24s %-10s %2d callers   elapsed %s%n",
          i + 1,
          trials.size(),
          trial.label(),
          trial.operation().methodName(),
          trial.callers(),
          minutes(Duration.ofNanos(System.nanoTime() - start)));
      Path dir = arguments.out().resolve(name);
      Measurement a = runOne("A", arguments.base(), trial, dir.resolve("A"));
      Measurement b = runOne("B", arguments.candidate(), trial, dir.resolve("B"));
      ok &= a.succeeded() && b.succeeded();
      pairs.add(new Pair(a, b));
    }
    Comparison comparison = new Comparison(pairs);
    String md =
        "# Builds compared, trial by trial\n\nA: "
            + arguments.base().toAbsolutePath()
            + "\nB: "
            + arguments.candidate().toAbsolutePath()
            + "\n\n"
            + comparison.toMarkdown();
    Files.writeString(arguments.out().resolve("compare.md"), md, StandardCharsets.UTF_8);
    out.println();
    out.printf(Locale.ROOT, "A: %s%nB: %s%n", arguments.base(), arguments.candidate());
    out.print(comparison.toText());
    out.printf(
        Locale.ROOT,
        "%ntook %s; table in %s%n",
        minutes(Duration.ofNanos(System.nanoTime() - start)),
        arguments.out().resolve("compare.md"));
    return ok;
  }

  /** Runs one trial on one build; its measurement, or a failed one that says why. */
  private Measurement runOne(String side, Path jar, Trial trial, Path dir)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String property :
        List.of(ServerProcess.SERVER_JVM_ARGS, GrpcUserCalls.CHANNELS_PROPERTY)) {
      String value = System.getProperty(property);
      if (value != null) {
        command.add("-D" + property + "=" + value);
      }
    }
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(arguments.childArguments(trial, dir.toAbsolutePath()));
    Path log = dir.resolve("runner.log");
    Process child =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int exit = child.waitFor();
    Path results = dir.resolve("results.tsv");
    Measurement m;
    if (Files.isRegularFile(results)) {
      List<Measurement> rows = ResultFile.parse(Files.readString(results, StandardCharsets.UTF_8));
      m = rows.isEmpty() ? failed(trial, "no row in " + results) : rows.get(0);
    } else {
      m = failed(trial, "exit code " + exit + ", no " + results + " (see " + log + ")");
    }
    if (m.succeeded()) {
      out.printf(
          Locale.ROOT,
          "        %s %s calls/s   p50 %s   p99 %s µs   alloc %s B/call, server %s B/call%n",
          side,
          Figures.number(m.callsPerSecond()),
          Figures.micros(m.p50Micros()),
          Figures.micros(m.p99Micros()),
          Figures.number(m.allocatedBytes()),
          Figures.number(m.serverAllocatedBytes()));
    } else {
      out.printf(Locale.ROOT, "        %s FAILED: %s (see %s)%n", side, m.failure(), log);
    }
    return m;
  }

  private static Measurement failed(Trial trial, String why) {
    return Measurement.failed(
        trial.backend().id(),
        trial.mode().id(),
        trial.operation().methodName(),
        trial.callers(),
        Double.NaN,
        why);
  }

  private static String minutes(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
