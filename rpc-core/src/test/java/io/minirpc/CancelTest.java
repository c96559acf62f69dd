package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.client.RpcClient;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameType;
import io.minirpc.internal.protocol.FrameWriter;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.RawConnection;
import io.minirpc.testing.RawFrames;
import io.minirpc.testing.logging.LogCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * Cancel frames: a caller that gives up (deadline, interrupted or cancelled future) tells the
 * server, which then skips the work if it has not started and sends no answer in any case.
 */
class CancelTest {

  @RpcService(name = "test.Calls", version = "1")
  interface AsyncCalls {
    CompletableFuture<String> await(String gate);

    CompletableFuture<String> echo(String text);
  }

  /** A method the server does not have: it answers NOT_FOUND from its event loop. */
  @RpcService(name = "test.Calls", version = "1")
  interface MissingCalls {
    String missing();
  }

  private static final Duration WITHIN = Duration.ofSeconds(10);

  /** For the calls meant to time out, against a fake provider that never answers them. */
  private static final CallOptions HASTY = CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300));

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private RpcServer server;
  private RpcClient client;

  @BeforeEach
  void start() {
    // One worker: a blocker keeps every later call queued, and calls run in the order they came.
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .workerThreads(1)
            .gracePeriod(Duration.ZERO)
            .addService(impl)
            .build()
            .start();
    client =
        RpcClient.builder()
            .addresses("127.0.0.1:" + server.port())
            .timeout(Duration.ofSeconds(20))
            .build();
  }

  @AfterEach
  void stop() {
    impl.open("blocker");
    impl.open("running");
    client.close();
    server.close();
  }

  /**
   * Once the server has answered this, it has read every frame sent before it on the connection: it
   * answers an unknown method on the connection's event loop, in the order frames arrived.
   */
  private void awaitServerRead() {
    RpcException e =
        catchThrowableOfType(RpcException.class, () -> client.stub(MissingCalls.class).missing());
    assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void cancelledFutureOfAQueuedCallNeverRunsTheService() {
    // A first answer tells the client that this server takes cancels.
    assertThat(client.stub(CallsService.class).add(1, 1)).isEqualTo(2);
    AsyncCalls async = client.stub(AsyncCalls.class);
    CompletableFuture<String> blocker = async.await("blocker");
    Await.until(WITHIN, "the blocker to run", () -> impl.executions("await") == 1);

    CompletableFuture<String> queued = async.echo("never");
    assertThat(queued.cancel(true)).isTrue();
    awaitServerRead();
    impl.open("blocker");

    assertThat(blocker.join()).isEqualTo("passed blocker");
    // Queued after the cancelled call on the only worker: once it ran, that one was dequeued.
    assertThat(client.stub(CallsService.class).add(2, 2)).isEqualTo(4);
    assertThat(impl.executions("echo")).isZero();
  }

  @Test
  void callWhoseFutureCompletedSendsNoCancel() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RpcClient direct = clientOf(listener)) {
      AsyncCalls async = direct.stub(AsyncCalls.class);
      CompletableFuture<String> answered = async.echo("answered");
      try (RawConnection provider = RawConnection.accept(listener, WITHIN)) {
        long id = RawFrames.requestId(provider.readFrame());
        provider.write(okResponse(id, "\"answered\""));
        assertThat(answered.join()).isEqualTo("answered");
        assertThat(answered.cancel(true)).isFalse();

        CompletableFuture<String> next = async.echo("next");
        byte[] frame = provider.readFrame();
        assertThat(RawFrames.type(frame)).isEqualTo(FrameType.REQUEST.value());
        assertThat(RawFrames.requestId(frame)).isNotEqualTo(id);
        provider.write(okResponse(RawFrames.requestId(frame), "\"next\""));
        assertThat(next.join()).isEqualTo("next");
      }
    }
  }

  @Test
  void runningCallThatIsCancelledSendsNoAnswer() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(jsonRequest(1, "await", "[\"running\"]"));
      Await.until(WITHIN, "the call to run", () -> impl.executions("await") == 1);
      raw.write(RawFrames.cancel(1));
      // Answered on the event loop after the cancel was read.
      raw.write(RawFrames.ping(2));
      assertThat(RawFrames.type(raw.readFrame())).isEqualTo(FrameType.PONG.value());
      impl.open("running");

      // The only worker runs this once the cancelled call has returned, and answers it after the
      // answer that call would have had: the first answer read is this one.
      raw.write(jsonRequest(3, "echo", "[\"after\"]"));
      byte[] answer = raw.readFrame();
      assertThat(RawFrames.type(answer)).isEqualTo(FrameType.RESPONSE.value());
      assertThat(RawFrames.requestId(answer)).isEqualTo(3);
      assertThat(body(answer)).isEqualTo("\"after\"");
    }
  }

  @Test
  void queuedCallThatIsCancelledNeverRunsAndIsNotAnswered() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(jsonRequest(1, "await", "[\"blocker\"]"));
      Await.until(WITHIN, "the blocker to run", () -> impl.executions("await") == 1);
      raw.write(jsonRequest(2, "echo", "[\"never\"]"));
      raw.write(RawFrames.cancel(2));
      raw.write(RawFrames.ping(3));
      assertThat(RawFrames.type(raw.readFrame())).isEqualTo(FrameType.PONG.value());
      impl.open("blocker");

      assertThat(RawFrames.requestId(raw.readFrame())).isEqualTo(1);
      raw.write(jsonRequest(4, "echo", "[\"after\"]"));
      assertThat(RawFrames.requestId(raw.readFrame())).isEqualTo(4);
      assertThat(impl.executions("echo")).isEqualTo(1);
    }
  }

  @Test
  void queuedCallsOfAClientThatDisconnectsNeverRun() throws Exception {
    try (LogCapture logs = LogCapture.start(Level.DEBUG);
        RawConnection other = new RawConnection(server.port())) {
      try (RawConnection raw = new RawConnection(server.port())) {
        raw.write(jsonRequest(1, "await", "[\"blocker\"]"));
        Await.until(WITHIN, "the blocker to run", () -> impl.executions("await") == 1);
        raw.write(jsonRequest(2, "echo", "[\"never\"]"));
        raw.write(RawFrames.ping(3));
        assertThat(RawFrames.type(raw.readFrame())).isEqualTo(FrameType.PONG.value());
      }
      Await.until(
          WITHIN,
          "the server to see the client go",
          () ->
              logs.events().stream()
                  .anyMatch(
                      e ->
                          e.message()
                              .endsWith(
                                  " closed with 2 calls unanswered: none will be answered, queued"
                                      + " ones will not run")));
      // Queued behind the disconnected client's calls on the only worker.
      other.write(jsonRequest(1, "echo", "[\"after\"]"));
      impl.open("blocker");
      byte[] answer = other.readFrame();
      assertThat(body(answer)).isEqualTo("\"after\"");
      assertThat(impl.executions("echo")).isEqualTo(1);
    }
  }

  @Test
  void cancelOfAnUnknownIdIsIgnoredAndTheConnectionStaysFine() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(RawFrames.cancel(99));
      raw.write(RawFrames.cancel(0));
      raw.write(jsonRequest(1, "echo", "[\"still here\"]"));
      byte[] answer = raw.readFrame();
      assertThat(RawFrames.requestId(answer)).isEqualTo(1);
      assertThat(body(answer)).isEqualTo("\"still here\"");
      // The call is answered: a late cancel of it finds nothing and changes nothing.
      raw.write(RawFrames.cancel(1));
      raw.write(RawFrames.ping(2));
      byte[] pong = raw.readFrame();
      assertThat(RawFrames.type(pong)).isEqualTo(FrameType.PONG.value());
      assertThat(RawFrames.requestId(pong)).isEqualTo(2);
    }
  }

  @Test
  void responsesSayTheServerTakesCancels() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(jsonRequest(1, "echo", "[\"x\"]"));
      raw.write(jsonRequest(2, "nope", "[]"));
      for (int i = 0; i < 2; i++) {
        byte[] answer = raw.readFrame();
        assertThat(answer[FrameHeader.FLAGS_OFFSET] & FrameHeader.FLAG_TAKES_CANCEL).isNotZero();
      }
    }
  }

  @Test
  void timedOutBlockingCallSendsACancelToTheServer() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RpcClient direct = clientOf(listener)) {
      CallsService calls = direct.stub(CallsService.class);
      try (RawConnection provider =
          answerFirstCall(
              listener, () -> CompletableFuture.supplyAsync(() -> calls.echo("warm")))) {

        CallsService hasty = direct.stub(CallsService.class, HASTY);
        CompletableFuture<RpcException> slow =
            CompletableFuture.supplyAsync(
                () -> catchThrowableOfType(RpcException.class, () -> hasty.echo("slow")));
        byte[] request = provider.readFrame();
        assertThat(RawFrames.type(request)).isEqualTo(FrameType.REQUEST.value());
        // Not answered: the call times out, and the client says so.
        byte[] cancel = provider.readFrame();
        assertThat(slow.join().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(cancel).isEqualTo(cancelFrame(RawFrames.requestId(request)));
      }
    }
  }

  @Test
  void asyncCallWhoseDeadlinePassesSendsACancelToTheServer() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RpcClient direct = clientOf(listener)) {
      AsyncCalls async = direct.stub(AsyncCalls.class);
      try (RawConnection provider = answerFirstCall(listener, () -> async.echo("warm"))) {

        CompletableFuture<String> slow = direct.stub(AsyncCalls.class, HASTY).echo("slow");
        long id = RawFrames.requestId(provider.readFrame());
        assertThat(provider.readFrame()).isEqualTo(cancelFrame(id));
        CompletionException e = catchThrowableOfType(CompletionException.class, slow::join);
        assertThat(((RpcException) e.getCause()).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      }
    }
  }

  @Test
  void interruptedBlockingCallSendsACancelToTheServer() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RpcClient direct = clientOf(listener)) {
      CallsService calls = direct.stub(CallsService.class);
      try (RawConnection provider =
          answerFirstCall(
              listener, () -> CompletableFuture.supplyAsync(() -> calls.echo("warm")))) {

        CompletableFuture<RpcException> failure = new CompletableFuture<>();
        Thread caller =
            new Thread(
                () ->
                    failure.complete(
                        catchThrowableOfType(RpcException.class, () -> calls.echo("slow"))));
        caller.start();
        long id = RawFrames.requestId(provider.readFrame());
        caller.interrupt();
        assertThat(provider.readFrame()).isEqualTo(cancelFrame(id));
        assertThat(failure.join().code()).isEqualTo(Status.Code.CANCELLED);
      }
    }
  }

  @Test
  void serverThatDoesNotSayItTakesCancelsGetsNone() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RpcClient direct = clientOf(listener)) {
      CallsService calls = direct.stub(CallsService.class);
      CompletableFuture<String> warm = CompletableFuture.supplyAsync(() -> calls.echo("warm"));
      try (RawConnection provider = RawConnection.accept(listener, WITHIN)) {
        ByteBuf answer = okResponse(RawFrames.requestId(provider.readFrame()), "\"warm\"");
        // As a server from before cancel frames answers: without the flag.
        answer.setByte(FrameHeader.FLAGS_OFFSET, 0);
        provider.write(answer);
        assertThat(warm.join()).isEqualTo("warm");

        CallsService hasty = direct.stub(CallsService.class, HASTY);
        RpcException e = catchThrowableOfType(RpcException.class, () -> hasty.echo("slow"));
        assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        provider.readFrame();
        // The next frame is the next call, not a cancel of the one that timed out.
        CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> calls.echo("next"));
        byte[] frame = provider.readFrame();
        assertThat(RawFrames.type(frame)).isEqualTo(FrameType.REQUEST.value());
        provider.write(okResponse(RawFrames.requestId(frame), "\"next\""));
        assertThat(next.join()).isEqualTo("next");
      }
    }
  }

  @Test
  void oneWayCallsAreNeverCancelled() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RpcClient direct = clientOf(listener)) {
      CallsService calls = direct.stub(CallsService.class);
      try (RawConnection provider =
          answerFirstCall(
              listener, () -> CompletableFuture.supplyAsync(() -> calls.echo("warm")))) {
        calls.fire("and forget");
        byte[] fired = provider.readFrame();
        assertThat(fired[FrameHeader.FLAGS_OFFSET] & FrameHeader.FLAG_ONE_WAY).isNotZero();
        CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> calls.echo("next"));
        byte[] frame = provider.readFrame();
        assertThat(RawFrames.type(frame)).isEqualTo(FrameType.REQUEST.value());
        provider.write(okResponse(RawFrames.requestId(frame), "\"next\""));
        assertThat(next.join()).isEqualTo("next");
      }
    }
  }

  /**
   * A client of the one provider listening there, with the JSON serializer, no heartbeats, and a
   * timeout long enough for a busy machine: the calls meant to time out use {@link #HASTY}.
   */
  /**
   * Plays the provider: accepts the client's connection and answers the first call {@code warm}
   * makes, so that the client has seen that this server takes cancels.
   */
  private static RawConnection answerFirstCall(
      ServerSocket listener, Supplier<CompletableFuture<String>> warm) throws IOException {
    CompletableFuture<String> answer = warm.get();
    RawConnection provider = RawConnection.accept(listener, WITHIN);
    provider.write(okResponse(RawFrames.requestId(provider.readFrame()), "\"warm\""));
    assertThat(answer.join()).isEqualTo("warm");
    return provider;
  }

  private static RpcClient clientOf(ServerSocket listener) {
    return RpcClient.builder()
        .addresses("127.0.0.1:" + listener.getLocalPort())
        .serializer(JsonSerializer.create())
        .heartbeatInterval(Duration.ZERO)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  private static ByteBuf jsonRequest(long id, String method, String arguments) {
    return RawFrames.request(
        id, 0, 3, "test.Calls:1", method, arguments.getBytes(StandardCharsets.UTF_8));
  }

  /** A successful JSON response, as this version's server writes it. */
  private static ByteBuf okResponse(long id, String json) {
    return RawFrames.response(id, 3, json.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] cancelFrame(long id) {
    ByteBuf frame = FrameWriter.cancel(UnpooledByteBufAllocator.DEFAULT, id);
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  private static String body(byte[] frame) {
    return new String(
        frame, FrameHeader.SIZE, frame.length - FrameHeader.SIZE, StandardCharsets.UTF_8);
  }
}
