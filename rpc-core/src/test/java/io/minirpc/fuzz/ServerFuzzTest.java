package io.minirpc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.minirpc.Serializer;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameReader;
import io.minirpc.internal.protocol.FrameType;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.serialize.KryoSerializer;
import io.minirpc.serialize.ProtobufSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.Person;
import io.minirpc.testing.RawConnection;
import io.minirpc.testing.logging.LogCapture;
import io.minirpc.testing.logging.LoggedEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.netty.buffer.Unpooled;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.slf4j.event.Level;

/**
 * Fuzzes a live server over real sockets with hostile and broken request frames (see {@link
 * HostileFrames}), while well-behaved clients call it on other connections, and checks after every
 * batch that:
 *
 * <ul>
 *   <li>every answer is a well-formed response to a request that was sent (a cancel gets none),
 *       with a status a server may send, saying that the server takes cancels, and a batch that
 *       keeps its framing ends with its sentinel answered;
 *   <li>a batch that breaks the protocol gets its connection closed, never a hang;
 *   <li>nothing went wrong inside the server: no error logged by anyone, nothing logged by Netty
 *       (such as an exception reaching the end of the pipeline, or a leak);
 *   <li>the pooled allocator the server reads into stays under a bound set by the frame limit,
 *       although frames claim bodies of up to 2 GiB.
 * </ul>
 *
 * <p>Tagged {@code fuzz}: rpc-core's pom runs it in a surefire execution and JVM of its own.
 *
 * <p>After the run, the well-behaved clients must have had every call answered correctly. Jazzer
 * drives the choices; the leak detector (paranoid in tests) fails the class on any leaked buffer.
 */
@Tag("fuzz")
class ServerFuzzTest {

  private static final int MAX_BODY = 64 * 1024;

  /**
   * Pooled memory the server and clients may hold at once: a few 4 MiB chunks per arena. A server
   * that allocated what a frame claims, up to 2 GiB, would blow through it at once.
   */
  private static final long MAX_POOLED_BYTES = 96L * 1024 * 1024;

  /**
   * How long a batch may go without an answer (or the connection's close) before the server is
   * taken to hang. Generous: the machine is shared, and the first batches run cold.
   */
  private static final java.time.Duration ANSWER_TIMEOUT = java.time.Duration.ofSeconds(30);

  private static final Set<Status.Code> ANSWERABLE =
      Set.of(
          Status.Code.OK,
          Status.Code.NOT_FOUND,
          Status.Code.INVALID_ARGUMENT,
          Status.Code.SERIALIZATION,
          Status.Code.APPLICATION_ERROR,
          // Only for attachments over the limits: a full executor must not happen here.
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.UNIMPLEMENTED);

  private static RpcServer server;
  private static HostileFrames frames;
  private static LogCapture logs;
  private static final List<WellBehavedCaller> callers = new ArrayList<>();

  private static long batches;
  private static long framesSent;
  private static long answers;
  private static long pongs;
  private static long closedByServer;
  private static long maxPooledBytes;
  private static long startedAt;
  private static long firstBatchAt;
  private static final Map<Status.Code, Long> answersByStatus = new EnumMap<>(Status.Code.class);
  private static final Map<HostileFrames.Ending, Long> endings =
      new EnumMap<>(HostileFrames.Ending.class);

  @BeforeAll
  static void start() throws Exception {
    logs = LogCapture.start(Level.WARN);
    List<Serializer> serializers =
        List.of(KryoSerializer.create(), ProtobufSerializer.create(), JsonSerializer.create());
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .maxFrameSize(MAX_BODY)
            .ioThreads(2)
            .workerThreads(8)
            .serializers(serializers.toArray(Serializer[]::new))
            .addService(new FuzzTargets.Calls())
            .addService(new FuzzTargets.Proto())
            .gracePeriod(java.time.Duration.ofSeconds(2))
            .build()
            .start();
    frames = new HostileFrames(serializers, MAX_BODY);
    callers.add(new WellBehavedCaller("kryo", KryoSerializer.create(), server.port()));
    callers.add(new WellBehavedCaller("json", JsonSerializer.create(), server.port()));
    startedAt = System.nanoTime();
  }

  @AfterAll
  static void stop() throws Exception {
    long elapsed = System.nanoTime() - startedAt;
    try {
      for (WellBehavedCaller caller : callers) {
        // A short run (Jazzer replaying saved inputs only) still checks some calls.
        Await.until(
            java.time.Duration.ofSeconds(30),
            "calls of the " + caller.name + " caller",
            () -> caller.made.get() >= 30 || !caller.failures.isEmpty());
        caller.stop();
      }
      server.close();
      System.out.printf(
          "ServerFuzzTest: %d batches, %d frames, %d answers, %d pongs, %d connections closed by the server,"
              + " in %d ms (%d ms of them before the first batch); answers by status %s; endings %s; pooled memory at most %d KiB%n",
          batches,
          framesSent,
          answers,
          pongs,
          closedByServer,
          TimeUnit.NANOSECONDS.toMillis(elapsed),
          TimeUnit.NANOSECONDS.toMillis(firstBatchAt - startedAt),
          answersByStatus,
          endings,
          maxPooledBytes / 1024);
      for (WellBehavedCaller caller : callers) {
        System.out.printf(
            "ServerFuzzTest: %s caller made %d calls%n", caller.name, caller.made.get());
        assertThat(caller.failures).as("failures of the %s caller", caller.name).isEmpty();
        assertThat(caller.made.get()).as("calls of the %s caller", caller.name).isPositive();
      }
      if (System.getenv("JAZZER_FUZZ") != null) {
        assertThat(framesSent).as("frames sent").isGreaterThanOrEqualTo(100_000);
      }
      assertThat(unexpected(logs.events())).isEmpty();
    } finally {
      if (logs != null) {
        logs.close();
      }
    }
  }

  @FuzzTest(maxExecutions = 800)
  void serverSurvivesHostileFrames(FuzzedDataProvider data) throws IOException {
    // Jazzer's request-forgery detector refuses every connection unless told otherwise.
    try (SilentCloseable loopbackOnly =
        BugDetectors.allowNetworkConnections(
            (host, port) -> host.equals("127.0.0.1") || host.equals("localhost"))) {
      sendBatch(data);
    }
  }

  private void sendBatch(FuzzedDataProvider data) throws IOException {
    if (firstBatchAt == 0) {
      // Started with the fuzzing, once Jazzer has instrumented the server's classes.
      firstBatchAt = System.nanoTime();
      callers.forEach(WellBehavedCaller::start);
    }
    HostileFrames.Batch batch = frames.batch(data);
    Set<Long> sent = new HashSet<>();
    // A cancel asks for no answer: its id counts as sent only if a request or ping carries it too.
    batch.frames().stream()
        .filter(
            f ->
                f.length < FrameHeader.SIZE
                    || f[FrameHeader.TYPE_OFFSET] != FrameType.CANCEL.value())
        .forEach(f -> sent.add(HostileFrames.requestIdOf(f)));
    try (RawConnection raw = new RawConnection(server.port(), ANSWER_TIMEOUT)) {
      raw.write(batch.bytes());
      if (batch.ending() == HostileFrames.Ending.SENTINEL) {
        readUntilSentinel(raw, sent);
      } else {
        raw.shutdownOutput();
        readUntilClosed(raw, sent, batch.ending());
      }
    }
    batches++;
    framesSent += batch.frames().size();
    endings.merge(batch.ending(), 1L, Long::sum);
    List<LoggedEvent> unexpected = unexpected(logs.events());
    if (!unexpected.isEmpty()) {
      throw new AssertionError("the server logged what it never should: " + unexpected);
    }
    logs.clear();
    PooledByteBufAllocatorMetric metric = PooledByteBufAllocator.DEFAULT.metric();
    long pooled = metric.usedDirectMemory() + metric.usedHeapMemory();
    maxPooledBytes = Math.max(maxPooledBytes, pooled);
    if (pooled > MAX_POOLED_BYTES) {
      throw new AssertionError("pooled memory in use: " + pooled + " bytes");
    }
  }

  private static void readUntilSentinel(RawConnection raw, Set<Long> sent) throws IOException {
    while (true) {
      byte[] answer;
      try {
        answer = raw.readFrame();
      } catch (EOFException e) {
        throw new AssertionError("the server closed a connection whose framing was intact", e);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the sentinel was not answered within " + ANSWER_TIMEOUT, e);
      }
      Status.Code code = checkAnswer(answer, sent);
      if (code != null && HostileFrames.requestIdOf(answer) == HostileFrames.SENTINEL_ID) {
        if (code != Status.Code.OK) {
          throw new AssertionError("the sentinel was answered " + describe(answer));
        }
        return;
      }
    }
  }

  private static void readUntilClosed(
      RawConnection raw, Set<Long> sent, HostileFrames.Ending ending) throws IOException {
    while (true) {
      byte[] answer;
      try {
        answer = raw.readFrame();
      } catch (EOFException e) {
        closedByServer++;
        return;
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server neither answered nor closed after a " + ending, e);
      } catch (IOException e) {
        // Reset: the server closed while answers were still on their way.
        closedByServer++;
        return;
      }
      checkAnswer(answer, sent);
    }
  }

  /**
   * Checks that an answer is a well-formed response to a request sent, or a pong to a ping sent;
   * returns the response's status, or null for a pong.
   */
  private static Status.Code checkAnswer(byte[] answer, Set<Long> sent) {
    ByteBuf buf = Unpooled.wrappedBuffer(answer);
    if (FrameReader.type(buf) == FrameType.PONG.value()
        && buf.getShort(0) == FrameHeader.MAGIC
        && buf.getByte(FrameHeader.VERSION_OFFSET) == FrameHeader.VERSION
        && answer.length == FrameHeader.SIZE
        && sent.contains(FrameReader.requestId(buf))) {
      pongs++;
      return null;
    }
    boolean wellFormed =
        buf.getShort(0) == FrameHeader.MAGIC
            && buf.getByte(FrameHeader.VERSION_OFFSET) == FrameHeader.VERSION
            && FrameReader.type(buf) == FrameType.RESPONSE.value()
            && (FrameReader.flags(buf) & FrameHeader.FLAG_TAKES_CANCEL) != 0
            && (FrameReader.flags(buf)
                    & ~(FrameHeader.FLAG_UNPROCESSED | FrameHeader.FLAG_TAKES_CANCEL))
                == 0
            && buf.getByte(FrameHeader.RESERVED_OFFSET) == 0
            && FrameReader.timeoutMillis(buf) == 0
            && sent.contains(FrameReader.requestId(buf));
    int statusByte = buf.getByte(FrameHeader.STATUS_OFFSET) & 0xFF;
    Status.Code code = Status.Code.of(statusByte);
    if (!wellFormed || code.value() != statusByte || !ANSWERABLE.contains(code)) {
      throw new AssertionError("malformed or unexpected answer: " + describe(answer));
    }
    if (code != Status.Code.OK) {
      FrameReader.skipHeader(buf);
      FrameReader.readString(buf);
      String message = FrameReader.readString(buf);
      if (code == Status.Code.RESOURCE_EXHAUSTED
          && !message.startsWith("the request carries ")
          && !message.startsWith("the request's attachments take ")) {
        throw new AssertionError("unexpected RESOURCE_EXHAUSTED: " + describe(answer));
      }
      if (buf.isReadable()) {
        throw new AssertionError("error answer with bytes after its message: " + describe(answer));
      }
    }
    answers++;
    answersByStatus.merge(code, 1L, Long::sum);
    return code;
  }

  private static String describe(byte[] answer) {
    ByteBuf buf = Unpooled.wrappedBuffer(answer);
    return io.netty.buffer.ByteBufUtil.prettyHexDump(buf, 0, Math.min(answer.length, 512));
  }

  /**
   * What must never be logged: errors from anyone (the server logs its own bugs as errors), and
   * anything from Netty (an exception that reached the end of the pipeline, a leak).
   */
  private static List<LoggedEvent> unexpected(List<LoggedEvent> events) {
    return events.stream()
        .filter(e -> e.level() == Level.ERROR || e.logger().startsWith("io.netty"))
        .toList();
  }

  /** A client calling the server in a loop on its own thread, recording any wrong answer. */
  private static final class WellBehavedCaller {
    final String name;
    final RpcClient client;
    final FuzzTargets.CallsTarget calls;
    final AtomicLong made = new AtomicLong();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    final AtomicBoolean running = new AtomicBoolean(true);
    final Thread thread;

    WellBehavedCaller(String name, Serializer serializer, int port) {
      this.name = name;
      this.client =
          RpcClient.builder()
              .addresses("127.0.0.1:" + port)
              .serializer(serializer)
              // The machine is shared and busy: this caller checks answers, not their latency.
              .timeout(java.time.Duration.ofSeconds(20))
              .build();
      this.calls = client.stub(FuzzTargets.CallsTarget.class);
      this.thread = new Thread(this::run, "well-behaved-" + name);
    }

    void start() {
      thread.start();
    }

    private void run() {
      for (int i = 0; running.get(); i++) {
        try {
          check("echo", calls.echo("hello " + i), "hello " + i);
          check("add", calls.add(i, 1), i + 1);
          check("person", calls.person(Person.sample(i)), Person.sample(i));
        } catch (RuntimeException e) {
          failures.add("call " + i + " failed: " + e);
        }
        made.addAndGet(3);
        // Paced, so that the fuzzer keeps most of the two cores.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
    }

    private void check(String method, Object got, Object expected) {
      if (!expected.equals(got)) {
        failures.add(method + " answered " + got + " instead of " + expected);
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
      client.close();
    }
  }
}
