package io.minirpc.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The four calls of the UserService workload, each made back to back by every JMH thread (a closed
 * loop: the number of threads is the number of concurrent callers) against a server in another JVM,
 * which the trial starts and stops.
 *
 * <p>Mode is {@link Mode#SampleTime}: latency percentiles, and the mean from which {@link
 * BenchmarkRunner} derives throughput by Little's law (calls per second = callers / mean latency).
 * The server's allocation per call over the measured iterations is measured beside ({@link
 * ServerAllocationMeter}) and written at the trial's end to the file named by {@value
 * ServerAllocation#FILE_PROPERTY}. Run it through {@link BenchmarkRunner}, which sets the backend,
 * the threads and the iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UserServiceBenchmark {

  /** System property with the file the server's standard error is appended to. */
  static final String SERVER_LOG_PROPERTY = "minirpc.benchmark.serverLog";

  /**
   * How long the trial's teardown waits for the other threads to end the last iteration: longer
   * than an asynchronous thread may wait for its calls in flight.
   */
  private static final Duration LAST_CALLERS_TIMEOUT = Duration.ofSeconds(60);

  @Param({
    "netty-ceiling",
    "minirpc-kryo",
    "minirpc-protobuf",
    "minirpc-json",
    "rest",
    "grpc-direct",
    "grpc-default"
  })
  public String backend;

  private ServerProcess server;
  private UserCalls calls;
  private ServerAllocationMeter serverAllocation;

  @Setup(Level.Trial)
  public void startServer(BenchmarkParams params) {
    Backend chosen = Backend.named(backend);
    String log = System.getProperty(SERVER_LOG_PROPERTY);
    server = ServerProcess.start(chosen, log == null ? null : Path.of(log));
    serverAllocation = new ServerAllocationMeter(server, params.getThreads());
    calls = chosen.connect("127.0.0.1", server.port());
  }

  @Setup(Level.Iteration)
  public void startIteration(IterationParams iteration) {
    serverAllocation.iterationStarts(iteration);
  }

  @TearDown(Level.Trial)
  public void stopServer() {
    try {
      writeServerAllocation(serverAllocation);
    } finally {
      try {
        if (calls != null) {
          calls.close();
        }
      } finally {
        if (server != null) {
          server.close();
        }
      }
    }
  }

  /**
   * Writes the trial's figures to the file named by {@value ServerAllocation#FILE_PROPERTY}, once
   * every thread has ended the last iteration; before the server stops.
   */
  static void writeServerAllocation(ServerAllocationMeter meter) {
    String file = System.getProperty(ServerAllocation.FILE_PROPERTY);
    if (file != null && meter != null) {
      try {
        meter.total(LAST_CALLERS_TIMEOUT).write(Path.of(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the last callers", e);
      }
    }
  }

  /**
   * One caller's request numbers: ids, page numbers and emails, distinct across callers as the
   * reference benchmark's shared counter makes them, without the contention on one counter. Every
   * call takes one, so they also count the caller's calls of each iteration.
   */
  @State(Scope.Thread)
  public static class Caller {
    private ServerAllocationMeter serverAllocation;
    private long next;
    private long iterationFirst;

    @Setup(Level.Trial)
    public void start(UserServiceBenchmark benchmark, ThreadParams thread) {
      serverAllocation = benchmark.serverAllocation;
      next = thread.getThreadIndex() * 10_000_000L;
      iterationFirst = next;
    }

    /** Runs once every caller has stopped: each blocking call has completed. */
    @TearDown(Level.Iteration)
    public void endIteration() {
      serverAllocation.callerEnds(next - iterationFirst);
      iterationFirst = next;
    }

    long next() {
      return next++;
    }
  }

  @Benchmark
  public boolean existUser(Caller caller) {
    return calls.existUser(String.valueOf(caller.next()));
  }

  @Benchmark
  public boolean createUser(Caller caller) {
    return calls.createUser(caller.next());
  }

  @Benchmark
  public Object getUser(Caller caller) {
    return calls.getUser(caller.next());
  }

  @Benchmark
  public Object listUser(Caller caller) {
    return calls.listUser((int) caller.next());
  }
}
