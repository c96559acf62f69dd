package io.minirpc.benchmark;

import io.minirpc.benchmark.minirpc.MinirpcUserStreams;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Items per second of one server stream: users 1 to {@value #USERS} (the workload's getUser answer,
 * one message each), from a server in another JVM, received by a subscriber that takes them as fast
 * as they come. minirpc with Kryo and with Protocol Buffers against gRPC-java's server streaming on
 * the same messages, its server keeping to gRPC's flow control (onReady) and both sides on {@code
 * directExecutor()}:
 *
 * <pre>
 * java -cp rpc-benchmark/target/minirpc-benchmark.jar org.openjdk.jmh.Main StreamBenchmark
 * </pre>
 *
 * <p>The score is users per second (one operation is one user). {@code -jvmArgsAppend
 * -Dminirpc.benchmark.streamDelivery=direct} hands minirpc's items to the subscriber on the event
 * loop, as gRPC's direct executor does ({@link MinirpcUserStreams#DELIVERY}). Both streams take
 * backpressure from their receivers: minirpc's credit (a window of about 1 MiB of items), gRPC's
 * HTTP/2 window.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xms1g", "-Xmx1g"})
public class StreamBenchmark {

  static final int USERS = 10_000;

  @Param({"minirpc-kryo", "minirpc-protobuf", "grpc-direct"})
  public String backend;

  private ServerProcess server;
  private UserStreams streams;

  @Setup(Level.Trial)
  public void start() {
    Backend chosen = Backend.named(backend);
    String log = System.getProperty(UserServiceBenchmark.SERVER_LOG_PROPERTY);
    server = ServerProcess.start(chosen, log == null ? null : Path.of(log));
    streams = UserStreams.connect(chosen, "127.0.0.1", server.port());
  }

  @TearDown(Level.Trial)
  public void stop() {
    streams.close();
    server.close();
  }

  @Benchmark
  @OperationsPerInvocation(USERS)
  public long streamUsers() throws Exception {
    long received = streams.streamUsers(USERS);
    if (received != USERS) {
      throw new IllegalStateException("received " + received + " users of " + USERS);
    }
    return received;
  }
}
