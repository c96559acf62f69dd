package io.minirpc.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.HdrHistogram.Recorder;
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
import org.openjdk.jmh.runner.IterationType;

/**
 * The four calls of the UserService workload made asynchronously: a few JMH threads keep {@link
 * #inFlight} calls in flight between them (a closed loop, as {@link UserServiceBenchmark}'s, with
 * {@code inFlight} concurrent calls but not as many threads), against a server in another JVM which
 * the trial starts and stops.
 *
 * <p>Each thread owns its share of the calls in flight as slots. A benchmark method takes a free
 * slot, waiting if there is none, starts one call with it and returns; the call's completion, on
 * whichever thread the backend completes it, records its latency and gives the slot back, which
 * lets the thread start the next call. So every call starts on one of the benchmark's threads, as
 * an application's would, and a completion starts the next call without the benchmark polling.
 *
 * <p>Why JMH, and how each figure is made honest:
 *
 * <ul>
 *   <li>JMH gives this mode what it gives the blocking one: a fresh client JVM per trial (which
 *       starts a fresh server JVM), the same warm-up and measured iterations, its count of
 *       operations over the measured time, and {@code -prof gc}. An operation is one started call,
 *       so calls/s is the number of calls started in the measured iterations over their time: in a
 *       closed loop that is the number completed, give or take the {@code inFlight} at the edges of
 *       each iteration, and Little's law ({@code inFlight} / mean latency) checks it. For the same
 *       reason {@code gc.alloc.rate.norm} is bytes allocated per call, all of the client JVM's
 *       threads included, as in the blocking mode.
 *   <li>JMH's own timings would time the method, which only starts a call, so {@link
 *       Mode#Throughput} is used and latency is measured here instead: from just before a call is
 *       started to the start of its completion, for every call that completes during a measured
 *       iteration (not a sample), into an HdrHistogram {@link Recorder} (3 significant digits, no
 *       allocation per value). The trial's teardown writes the percentiles to the file named by
 *       {@value #LATENCY_FILE_PROPERTY}, which {@link BenchmarkRunner} reads back.
 *   <li>The server's allocation per call is measured as in the blocking mode ({@link
 *       ServerAllocationMeter}), over the calls started in the measured iterations: each thread
 *       waits for its calls to complete before it hands over its count, and the server's figure is
 *       read once all threads have, so every counted call's work on the server is in it.
 *   <li>Slots are reused, so the harness itself allocates nothing per call.
 * </ul>
 *
 * <p>Run it through {@link BenchmarkRunner} ({@code --mode=async}), which sets the backend, the
 * calls in flight, the threads and the iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AsyncUserServiceBenchmark {

  /** System property with the file the measured calls' latency percentiles are written to. */
  static final String LATENCY_FILE_PROPERTY = "minirpc.benchmark.latencyFile";

  /** Longer than the callers' 10 s timeout: a call that never completes fails the trial. */
  private static final long DRAIN_SECONDS = 15;

  private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

  @Param({
    "netty-ceiling",
    "minirpc-kryo",
    "minirpc-protobuf",
    "minirpc-json",
    "rest",
    "grpc-direct",
    "grpc-default",
    "minirpc-kryo-direct"
  })
  public String backend;

  /** Calls in flight over all threads: the run plan's number of callers. */
  @Param("32")
  public int inFlight;

  private ServerProcess server;
  private AsyncUserCalls calls;
  private ServerAllocationMeter serverAllocation;
  private final Recorder latencies = new Recorder(HIGHEST_NANOS, 3);
  private volatile boolean measuring;

  @Setup(Level.Trial)
  public void startServer(BenchmarkParams params) {
    Backend chosen = Backend.named(backend);
    String log = System.getProperty(UserServiceBenchmark.SERVER_LOG_PROPERTY);
    server = ServerProcess.start(chosen, log == null ? null : Path.of(log));
    serverAllocation = new ServerAllocationMeter(server, params.getThreads());
    calls = chosen.connectAsync("127.0.0.1", server.port());
  }

  @Setup(Level.Iteration)
  public void startIteration(IterationParams iteration) {
    measuring = iteration.getType() == IterationType.MEASUREMENT;
    serverAllocation.iterationStarts(iteration);
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    measuring = false;
  }

  @TearDown(Level.Trial)
  public void stopServer() {
    try {
      // First: it waits for every thread to end the last iteration.
      UserServiceBenchmark.writeServerAllocation(serverAllocation);
      String file = System.getProperty(LATENCY_FILE_PROPERTY);
      if (file != null) {
        LatencySummary.of(latencies.getIntervalHistogram()).write(Path.of(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
   * One thread's share of the calls in flight, as reusable slots, and its request numbers (distinct
   * across threads, as {@link UserServiceBenchmark.Caller}'s; every call started takes one, so they
   * also count the thread's calls of each iteration).
   */
  @State(Scope.Thread)
  public static class Caller {
    private ServerAllocationMeter serverAllocation;
    private BlockingQueue<Slot> free;
    private int slots;
    private long next;
    private long iterationFirst;

    @Setup(Level.Trial)
    public void start(AsyncUserServiceBenchmark benchmark, ThreadParams thread) {
      int threads = thread.getThreadCount();
      int index = thread.getThreadIndex();
      if (benchmark.inFlight < threads) {
        throw new IllegalArgumentException(
            benchmark.inFlight + " calls in flight cannot keep " + threads + " threads busy");
      }
      slots = benchmark.inFlight / threads + (index < benchmark.inFlight % threads ? 1 : 0);
      free = new ArrayBlockingQueue<>(slots);
      for (int i = 0; i < slots; i++) {
        free.add(new Slot(benchmark, free));
      }
      next = index * 10_000_000L;
      iterationFirst = next;
      serverAllocation = benchmark.serverAllocation;
    }

    /**
     * Waits until every call of this thread has completed, so none spills into the next phase, then
     * hands the iteration's count of calls to the server's allocation meter.
     */
    @TearDown(Level.Iteration)
    public void drain() throws InterruptedException {
      Slot[] taken = new Slot[slots];
      for (int i = 0; i < slots; i++) {
        taken[i] = free.poll(DRAIN_SECONDS, TimeUnit.SECONDS);
        if (taken[i] == null) {
          throw new IllegalStateException(
              (slots - i) + " calls did not complete within " + DRAIN_SECONDS + " s");
        }
      }
      for (Slot slot : taken) {
        free.add(slot);
      }
      serverAllocation.callerEnds(next - iterationFirst);
      iterationFirst = next;
    }

    /** A free slot, once a call of this thread has completed if none is. */
    Slot take() throws InterruptedException {
      Slot slot = free.take();
      if (slot.failure != null) {
        throw new IllegalStateException("a call failed: " + slot.failure, slot.failure);
      }
      return slot;
    }

    long next() {
      return next++;
    }
  }

  /** One call in flight at a time: its start, and its completion. */
  static final class Slot implements BiConsumer<Object, Throwable> {
    private final AsyncUserServiceBenchmark benchmark;
    private final BlockingQueue<Slot> free;
    private long start;
    private Throwable failure;

    Slot(AsyncUserServiceBenchmark benchmark, BlockingQueue<Slot> free) {
      this.benchmark = benchmark;
      this.free = free;
    }

    Slot started() {
      start = System.nanoTime();
      return this;
    }

    @Override
    public void accept(Object result, Throwable t) {
      if (t != null || result == null) {
        failure = t != null ? t : new IllegalStateException("no result");
      } else if (benchmark.measuring) {
        benchmark.latencies.recordValue(Math.min(System.nanoTime() - start, HIGHEST_NANOS));
      }
      // The queue's lock orders the fields written here before the caller's take().
      free.add(this);
    }
  }

  @Benchmark
  public void existUser(Caller caller) throws InterruptedException {
    Slot slot = caller.take();
    calls.existUser(String.valueOf(caller.next()), slot.started());
  }

  @Benchmark
  public void createUser(Caller caller) throws InterruptedException {
    Slot slot = caller.take();
    calls.createUser(caller.next(), slot.started());
  }

  @Benchmark
  public void getUser(Caller caller) throws InterruptedException {
    Slot slot = caller.take();
    calls.getUser(caller.next(), slot.started());
  }

  @Benchmark
  public void listUser(Caller caller) throws InterruptedException {
    Slot slot = caller.take();
    calls.listUser((int) caller.next(), slot.started());
  }
}
