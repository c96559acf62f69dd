package io.minirpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.RpcException;
import io.minirpc.RpcService;
import io.minirpc.Status;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.StallingProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A connection whose server reads too slowly holds back new calls, briefly, then refuses them. */
class WriteBufferTest {

  /** Far more than fills the kernel's socket buffers on loopback (a few MiB) and the client's. */
  private static final int MAX_CALLS = 200;

  /** Twice what fills those buffers through a paused proxy (about 16 on Linux loopback). */
  private static final int FILL_CALLS = 40;

  private static final byte[] PAYLOAD = new byte[256 * 1024];

  @RpcService(name = "test.Calls", version = "1")
  interface AsyncReverse {
    CompletableFuture<byte[]> reverse(byte[] data);
  }

  private ServerSocket deaf;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  @BeforeEach
  void listenWithoutReading() throws IOException {
    deaf = new ServerSocket();
    // A small receive window, so that little of what is sent disappears into this side's kernel.
    deaf.setReceiveBufferSize(4096);
    deaf.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  accepted.add(deaf.accept());
                }
              } catch (IOException e) {
                // Closed by the test.
              }
            },
            "deaf-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void close() throws IOException {
    deaf.close();
    for (Socket s : accepted) {
      s.close();
    }
  }

  @Test
  void callsToAServerThatStopsReadingFailWithResourceExhaustedAfterTheWait() throws Exception {
    try (RpcClient client =
        RpcClient.builder()
            .addresses("127.0.0.1:" + deaf.getLocalPort())
            .writeBufferWaterMark(16 * 1024, 32 * 1024)
            .writeBufferWait(Duration.ofMillis(200))
            .timeout(Duration.ofSeconds(20))
            .maxAttempts(1)
            .build()) {
      AsyncReverse async = client.stub(AsyncReverse.class);
      RpcException refused = null;
      long refusalTookNanos = 0;
      int calls = 0;
      while (refused == null && calls < MAX_CALLS) {
        long start = System.nanoTime();
        CompletableFuture<byte[]> call = async.reverse(PAYLOAD);
        calls++;
        if (call.isCompletedExceptionally()) {
          refusalTookNanos = System.nanoTime() - start;
          refused =
              (RpcException) catchThrowableOfType(ExecutionException.class, call::get).getCause();
        }
      }
      String expected =
          "outbound buffer full: the connection to 127.0.0.1:"
              + deaf.getLocalPort()
              + " took no more requests within 200 ms (the server or the network reads too"
              + " slowly); ";
      assertThat(refused).as("a refusal within %d calls", MAX_CALLS).isNotNull();
      assertThat(refused.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(refused.status().description())
          .isEqualTo(expected + "AsyncReverse.reverse was not sent");
      // The async call held up its caller for the wait, not for its 20 s deadline.
      assertThat(refusalTookNanos).isLessThan(TimeUnit.SECONDS.toNanos(5));

      long start = System.nanoTime();
      RpcException blocking =
          catchThrowableOfType(
              RpcException.class, () -> client.stub(CallsService.class).reverse(PAYLOAD));
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
      assertThat(blocking.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(blocking.status().description())
          .isEqualTo(expected + "CallsService.reverse was not sent");
    }
  }

  @Test
  void callWaitingForRoomIsSentOnceTheConnectionDrains() throws Exception {
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .addService(new CallsServiceImpl())
                .build()
                .start();
        StallingProxy proxy = StallingProxy.to(server.port());
        RpcClient client =
            RpcClient.builder()
                .addresses("127.0.0.1:" + proxy.port())
                .writeBufferWaterMark(16 * 1024, 32 * 1024)
                .writeBufferWait(Duration.ofSeconds(20))
                .timeout(Duration.ofSeconds(30))
                .build()) {
      AsyncReverse async = client.stub(AsyncReverse.class);
      // Connected before the pause, so that only the requests are held.
      assertThat(async.reverse(new byte[] {1, 2}).get(10, TimeUnit.SECONDS)).containsExactly(2, 1);
      proxy.pause();
      List<CompletableFuture<byte[]>> calls = new CopyOnWriteArrayList<>();
      Thread caller =
          new Thread(
              () -> {
                for (int i = 0; i < FILL_CALLS; i++) {
                  calls.add(async.reverse(PAYLOAD));
                }
              },
              "write-buffer-test-caller");
      caller.start();
      // The caller's thread waits for room, with a timeout, once the buffers are full.
      Await.until(
          Duration.ofSeconds(15),
          "the caller to wait for room",
          () -> caller.getState() == Thread.State.TIMED_WAITING);
      int sentBeforeTheWait = calls.size();
      assertThat(sentBeforeTheWait).isLessThan(FILL_CALLS);
      proxy.resume();
      caller.join(TimeUnit.SECONDS.toMillis(25));
      assertThat(caller.isAlive()).isFalse();
      List<Integer> lengths = new ArrayList<>();
      for (CompletableFuture<byte[]> call : calls) {
        lengths.add(call.get(25, TimeUnit.SECONDS).length);
      }
      assertThat(lengths).hasSize(FILL_CALLS).containsOnly(PAYLOAD.length);
    }
  }
}
