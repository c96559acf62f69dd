package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.client.RpcClient;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameType;
import io.minirpc.internal.protocol.FrameWriter;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.RawConnection;
import io.minirpc.testing.RawFrames;
import io.minirpc.testing.StallingProxy;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Liveness: heartbeats keep idle connections open and find stalled ones, a server closes
 * connections that stay silent, and a provider that comes back is called again.
 */
@Timeout(30)
class LivenessTest {

  /** Short enough for fast tests, long enough that a busy machine does not miss pongs. */
  private static final Duration HEARTBEAT = Duration.ofMillis(100);

  private static RpcServer server(int port, Duration idleTimeout) {
    return RpcServer.builder()
        .host("127.0.0.1")
        .port(port)
        .idleTimeout(idleTimeout)
        .addService(new CallsServiceImpl())
        .build()
        .start();
  }

  /** A client that pings every 200 ms and gives up on a connection after 600 ms of silence. */
  private static RpcClient client(int port) {
    return RpcClient.builder()
        .addresses("127.0.0.1:" + port)
        .heartbeatInterval(HEARTBEAT.multipliedBy(2))
        .heartbeatMisses(2)
        .build();
  }

  /**
   * A client that pings every 100 ms; tests that expect the connection to stay open allow several
   * misses, so that a pong slowed down by a busy machine does not close it.
   */
  private static RpcClient client(int port, int heartbeatMisses) {
    return RpcClient.builder()
        .addresses("127.0.0.1:" + port)
        .heartbeatInterval(HEARTBEAT)
        .heartbeatMisses(heartbeatMisses)
        .build();
  }

  @Test
  void serverAnswersPingWithPongOfTheSameId() throws Exception {
    try (RpcServer server = server(0, Duration.ofSeconds(60));
        RawConnection raw = new RawConnection(server.port())) {
      raw.write(FrameWriter.ping(UnpooledByteBufAllocator.DEFAULT, 77));

      byte[] pong = raw.readFrame();

      assertThat(pong).hasSize(FrameHeader.SIZE);
      assertThat(pong[FrameHeader.TYPE_OFFSET]).isEqualTo(FrameType.PONG.value());
      assertThat(RawFrames.requestId(pong)).isEqualTo(77);
    }
  }

  @Test
  void idleClientConnectionPingsAndStaysOpenWhileAnswered() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        RpcClient client = client(listener.getLocalPort(), 20)) {
      openConnection(client);
      try (Socket peer = listener.accept()) {
        peer.setSoTimeout(5_000);
        DataInputStream in = new DataInputStream(peer.getInputStream());
        assertThat(readFrame(in)[FrameHeader.TYPE_OFFSET]).isEqualTo(FrameType.REQUEST.value());
        // Answered, the pings go on for longer than the 2.1 s that would close the connection if
        // they were not (20 misses allowed, so that a busy machine's slow pong does not close it):
        // 25 of them, all on this one connection.
        for (int i = 0; i < 25; i++) {
          byte[] ping = readFrame(in);
          assertThat(ping[FrameHeader.TYPE_OFFSET]).isEqualTo(FrameType.PING.value());
          write(
              peer.getOutputStream(),
              FrameWriter.pong(UnpooledByteBufAllocator.DEFAULT, RawFrames.requestId(ping)));
        }
      }
    }
  }

  @Test
  void clientClosesConnectionWhosePingsGoUnanswered() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        RpcClient client = client(listener.getLocalPort())) {
      openConnection(client);
      try (Socket peer = listener.accept()) {
        peer.setSoTimeout(5_000);
        DataInputStream in = new DataInputStream(peer.getInputStream());
        readFrame(in);
        long start = System.nanoTime();
        AtomicInteger pings = new AtomicInteger();
        while (in.read() != -1) {
          // Header bytes of pings: count whole frames.
          in.skipBytes(FrameHeader.SIZE - 1);
          pings.incrementAndGet();
        }
        assertThat(pings.get()).isEqualTo(2);
        assertThat(System.nanoTime() - start)
            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
      }
    }
  }

  @Test
  void stalledNetworkFailsPendingCallsAndCallsSucceedOnceItRecovers() throws Exception {
    try (RpcServer server = server(0, Duration.ofSeconds(60));
        StallingProxy proxy = StallingProxy.to(server.port());
        RpcClient client = client(proxy.port())) {
      CallsService calls = client.stub(CallsService.class);
      CallsService shortCalls =
          client.stub(CallsService.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(150)));
      assertThat(calls.echo("before")).isEqualTo("before");

      proxy.pause();
      CompletableFuture<String> pending = calls.echoAsync("stalled");
      CompletableFuture<String> short1 = shortCalls.echoAsync("stalled, short deadline");

      assertThatThrownBy(pending::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(RpcException.class)
          .hasMessage(
              "UNAVAILABLE: connection to 127.0.0.1:"
                  + proxy.port()
                  + " closed before the answer arrived (no answer to 2 heartbeats in 600 ms)");
      assertThatThrownBy(short1::get)
          .cause()
          .isInstanceOf(RpcException.class)
          .satisfies(
              e -> assertThat(((RpcException) e).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));

      proxy.resume();
      Await.until(
          Duration.ofSeconds(5), "a call through the recovered network", () -> succeeds(calls));
      // On a new connection: the stalled one was closed, not revived.
      assertThat(proxy.connectionsAccepted()).isEqualTo(2);
    }
  }

  @Test
  void serverClosesConnectionThatStaysSilentPastItsIdleTimeout() throws Exception {
    try (RpcServer server = server(0, Duration.ofMillis(200));
        RawConnection silent = new RawConnection(server.port())) {
      long start = System.nanoTime();

      assertThat(silent.isClosedByPeer()).isTrue();
      assertThat(System.nanoTime() - start)
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
    }
  }

  @Test
  void serverKeepsAnIdleClientThatHeartbeats() throws Exception {
    try (RpcServer server = server(0, Duration.ofMillis(600));
        StallingProxy proxy = StallingProxy.to(server.port());
        RpcClient client = client(proxy.port(), 5)) {
      CallsService calls = client.stub(CallsService.class);
      calls.record("first");
      long sent = proxy.bytesToTarget();

      // Ten pings, a second of nothing else: past the server's idle timeout.
      Await.until(
          Duration.ofSeconds(5),
          "ten pings",
          () -> proxy.bytesToTarget() >= sent + 10 * FrameHeader.SIZE);
      calls.record("second");

      assertThat(proxy.connectionsAccepted()).isEqualTo(1);
    }
  }

  @Test
  void providerRestartedOnTheSamePortIsCalledAgain() throws Exception {
    RpcServer server = server(0, Duration.ofSeconds(60));
    int port = server.port();
    try (RpcClient client = client(port)) {
      CallsService calls = client.stub(CallsService.class);
      assertThat(calls.echo("before")).isEqualTo("before");

      server.close();
      assertThatThrownBy(() -> calls.echo("while down"))
          .isInstanceOf(RpcException.class)
          .satisfies(e -> assertThat(((RpcException) e).code()).isEqualTo(Status.Code.UNAVAILABLE));
      server = server(port, Duration.ofSeconds(60));

      Await.until(Duration.ofSeconds(5), "a call to the restarted provider", () -> succeeds(calls));
    } finally {
      server.close();
    }
  }

  @Test
  void callsWhileReconnectBacksOffFailAtOnceNamingTheLastConnectFailure() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    try (RpcClient client =
        RpcClient.builder()
            .addresses("127.0.0.1:" + port)
            .maxAttempts(1)
            .circuitBreaker(1_000, Duration.ofSeconds(5))
            .build()) {
      CallsService calls = client.stub(CallsService.class);
      assertThatThrownBy(() -> calls.echo("refused"))
          .hasMessageStartingWith("UNAVAILABLE: cannot connect to 127.0.0.1:" + port + ": ");

      // The first delay is 80 to 100 ms: the next call comes well within it.
      assertThatThrownBy(() -> calls.echo("backing off"))
          .isInstanceOf(RpcException.class)
          .hasMessageMatching(
              "UNAVAILABLE: cannot connect to 127\\.0\\.0\\.1:"
                  + port
                  + ": .+; next attempt in \\d+ ms");
    }
  }

  /**
   * Makes the client connect, with a one-way call that needs no answer; with a generous timeout, as
   * a first connect in a cold JVM on a busy machine can be slow.
   */
  private static void openConnection(RpcClient client) {
    client
        .stub(CallsService.class, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20)))
        .fire("open the connection");
  }

  private static boolean succeeds(CallsService calls) {
    try {
      return calls.echo("after").equals("after");
    } catch (RpcException e) {
      return false;
    }
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    byte[] header = new byte[FrameHeader.SIZE];
    in.readFully(header);
    int length = java.nio.ByteBuffer.wrap(header, FrameHeader.LENGTH_OFFSET, 4).getInt();
    byte[] frame = new byte[FrameHeader.SIZE + length];
    System.arraycopy(header, 0, frame, 0, header.length);
    in.readFully(frame, FrameHeader.SIZE, length);
    return frame;
  }

  private static void write(OutputStream out, io.netty.buffer.ByteBuf frame) throws IOException {
    try {
      out.write(ByteBufUtil.getBytes(frame));
      out.flush();
    } finally {
      frame.release();
    }
  }
}
