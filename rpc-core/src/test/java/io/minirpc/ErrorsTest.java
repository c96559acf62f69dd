package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.RawConnection;
import io.minirpc.testing.RawFrames;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each way a call can fail reaches the caller as its own status, and the server goes on. */
class ErrorsTest {

  @RpcService(name = "test.Nothing")
  interface NothingService {
    String nothing();
  }

  /** The same service as {@link CallsService}, as a newer caller sees it: with one more method. */
  @RpcService(name = "test.Calls", version = "1")
  interface NewerCallsService {
    String missing(String text);
  }

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private RpcServer server;
  private RpcClient client;
  private CallsService calls;

  @BeforeEach
  void start() {
    server = RpcServer.builder().host("127.0.0.1").addService(impl).build().start();
    client = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build();
    calls = client.stub(CallsService.class);
  }

  @AfterEach
  void stop() {
    // Every test ends with the server still serving a healthy client.
    assertThat(calls.echo("still serving")).isEqualTo("still serving");
    client.close();
    server.close();
  }

  private static RpcException rpcFailure(Runnable call) {
    return catchThrowableOfType(RpcException.class, call::run);
  }

  @Test
  void unknownServiceFailsWithNotFound() {
    RpcException e = rpcFailure(() -> client.stub(NothingService.class).nothing());
    assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.status().description()).isEqualTo("no service 'test.Nothing' on this server");
  }

  @Test
  void unknownMethodFailsWithNotFound() {
    RpcException e = rpcFailure(() -> client.stub(NewerCallsService.class).missing("x"));
    assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.status().description())
        .isEqualTo("service 'test.Calls:1' has no method 'missing'");
  }

  @Test
  void serviceExceptionReachesCallerWithItsTypeAndMessage() {
    RpcException e = rpcFailure(() -> calls.fail("the disk is full"));
    assertThat(e.code()).isEqualTo(Status.Code.APPLICATION_ERROR);
    assertThat(e.remoteType()).isEqualTo("java.lang.IllegalStateException");
    assertThat(e.status().description()).isEqualTo("the disk is full");
    assertThat(e)
        .hasMessage("APPLICATION_ERROR: java.lang.IllegalStateException: the disk is full");
  }

  @Test
  void statusThrownByServiceTravelsAsItIs() {
    RpcException e = rpcFailure(() -> calls.failWithStatus("PERMISSION_DENIED", "not yours"));
    assertThat(e.status()).isEqualTo(Status.PERMISSION_DENIED.withDescription("not yours"));
    assertThat(e.remoteType()).isNull();
  }

  @Test
  void asyncFailureCompletesTheFutureExceptionally() {
    CompletableFuture<String> f = client.stub(NewerCallsServiceAsync.class).missing("x");
    RpcException e =
        catchThrowableOfType(
            RpcException.class,
            () -> {
              try {
                f.join();
              } catch (java.util.concurrent.CompletionException c) {
                throw (RuntimeException) c.getCause();
              }
            });
    assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @RpcService(name = "test.Calls", version = "1")
  interface NewerCallsServiceAsync {
    CompletableFuture<String> missing(String text);
  }

  @Test
  void oversizedRequestFailsBeforeAnythingIsSent() {
    try (RpcClient small =
        RpcClient.builder()
            .addresses("127.0.0.1:" + server.port())
            .maxFrameSize(64 * 1024)
            .build()) {
      RpcException e = rpcFailure(() -> small.stub(CallsService.class).reverse(new byte[100_000]));
      assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.status().description())
          .isEqualTo(
              "the request of CallsService.reverse is larger than the maximum frame body of"
                  + " 65536 bytes; nothing was sent");
    }
    assertThat(impl.executions("reverse")).isZero();
  }

  @Test
  void oversizedResponseBecomesAnError() {
    try (RpcServer small =
            RpcServer.builder()
                .host("127.0.0.1")
                .maxFrameSize(64 * 1024)
                .addService(new CallsServiceImpl())
                .build()
                .start();
        RpcClient toSmall = RpcClient.builder().addresses("127.0.0.1:" + small.port()).build()) {
      RpcException e = rpcFailure(() -> toSmall.stub(CallsService.class).sized(100_000));
      assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.status().description())
          .isEqualTo(
              "the result of CallsService.sized is larger than the maximum frame body of 65536"
                  + " bytes");
    }
  }

  @Test
  void requestLargerThanTheServerAcceptsFailsUnavailableAndTheNextCallIsServed() {
    CallsServiceImpl smallImpl = new CallsServiceImpl();
    try (RpcServer small =
            RpcServer.builder()
                .host("127.0.0.1")
                .maxFrameSize(64 * 1024)
                .addService(smallImpl)
                .build()
                .start();
        RpcClient toSmall = RpcClient.builder().addresses("127.0.0.1:" + small.port()).build()) {
      CallsService smallCalls = toSmall.stub(CallsService.class);
      // The client allows 8 MiB, so it sends; the server reads the header, sees a body over its
      // limit and closes the connection rather than read it.
      RpcException e = rpcFailure(() -> smallCalls.reverse(new byte[100_000]));
      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      // "... before the answer arrived", or "... before the request was sent" when the close
      // overtakes the write of the body.
      assertThat(e.status().description())
          .startsWith("connection to 127.0.0.1:" + small.port() + " closed before the ");
      assertThat(smallImpl.executions("reverse")).isZero();
      // A new connection serves the next call.
      assertThat(smallCalls.add(2, 3)).isEqualTo(5);
    }
  }

  @Test
  void resultTheServerCannotEncodeBecomesAnError() {
    RpcException e = rpcFailure(() -> calls.oddPerson(1));
    assertThat(e.code()).isEqualTo(Status.Code.SERIALIZATION);
    assertThat(e.status().description())
        .startsWith("could not encode the result of CallsService.oddPerson: ")
        .contains(CallsServiceImpl.OddList.class.getName());
  }

  @Test
  void fullExecutorAnswersResourceExhaustedAtOnce() throws Exception {
    CallsServiceImpl slowImpl = new CallsServiceImpl();
    try (RpcServer busy =
            RpcServer.builder()
                .host("127.0.0.1")
                .workerThreads(1)
                .workerQueueSize(1)
                .addService(slowImpl)
                .build()
                .start();
        RpcClient toBusy = RpcClient.builder().addresses("127.0.0.1:" + busy.port()).build()) {
      AsyncCalls async = toBusy.stub(AsyncCalls.class);
      CompletableFuture<String> running = async.await("running");
      io.minirpc.testing.Await.until(
          java.time.Duration.ofSeconds(5),
          "the first call to occupy the only worker",
          () -> slowImpl.executions("await") == 1);
      CompletableFuture<String> queued = async.await("queued");
      RpcException e = rpcFailure(() -> toBusy.stub(CallsService.class).echo("one too many"));
      assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.status().description())
          .isEqualTo("the server is busy: its business executor is full; try again later");
      slowImpl.open("running");
      slowImpl.open("queued");
      assertThat(running.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("passed running");
      assertThat(queued.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("passed queued");
    }
  }

  @Test
  void callRefusedUnrunByABusyProviderIsServedByAnother() throws Exception {
    CallsServiceImpl busyImpl = new CallsServiceImpl();
    CallsServiceImpl idleImpl = new CallsServiceImpl();
    try (RpcServer busy =
            RpcServer.builder()
                .host("127.0.0.1")
                .workerThreads(1)
                .workerQueueSize(1)
                .addService(busyImpl)
                .build()
                .start();
        RpcServer idle =
            RpcServer.builder().host("127.0.0.1").addService(idleImpl).build().start();
        RpcClient toBusy = RpcClient.builder().addresses("127.0.0.1:" + busy.port()).build();
        RpcClient toBoth =
            RpcClient.builder()
                .addresses("127.0.0.1:" + busy.port(), "127.0.0.1:" + idle.port())
                .build()) {
      AsyncCalls fill = toBusy.stub(AsyncCalls.class);
      CompletableFuture<String> running = fill.await("running");
      io.minirpc.testing.Await.until(
          java.time.Duration.ofSeconds(5),
          "the first call to occupy the only worker",
          () -> busyImpl.executions("await") == 1);
      CompletableFuture<String> queued = fill.await("queued");
      io.minirpc.testing.Await.until(
          java.time.Duration.ofSeconds(5),
          "the second call to fill the queue",
          () -> busy.inFlightCalls() == 2);

      // Round robin sends every other call to the busy provider; each is refused unrun there and
      // served by the other, though echo is not idempotent.
      CallsService calls = toBoth.stub(CallsService.class);
      for (int i = 0; i < 4; i++) {
        assertThat(calls.echo("call " + i)).isEqualTo("call " + i);
      }
      assertThat(idleImpl.executions("echo")).isEqualTo(4);
      assertThat(busyImpl.executions("echo")).isZero();

      busyImpl.open("running");
      busyImpl.open("queued");
      assertThat(running.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("passed running");
      assertThat(queued.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("passed queued");
    }
  }

  @RpcService(name = "test.Calls", version = "1")
  interface AsyncCalls {
    CompletableFuture<String> await(String gate);
  }

  @Test
  void refusedConnectionFailsWithUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (RpcClient nowhere = RpcClient.builder().addresses("127.0.0.1:" + closedPort).build()) {
      RpcException e = rpcFailure(() -> nowhere.stub(CallsService.class).echo("hello?"));
      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.status().description())
          .startsWith("cannot connect to 127.0.0.1:" + closedPort + ": ");
    }
  }

  @Test
  void argumentsThatCannotBeDecodedFailWithSerialization() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(
          RawFrames.request(7, 0, 1, "test.Calls:1", "echo", new byte[] {(byte) 0xFF, 0x13, 0x37}));
      byte[] answer = raw.readFrame();
      assertThat(RawFrames.requestId(answer)).isEqualTo(7);
      Status status = RawFrames.status(answer);
      assertThat(status.code()).isEqualTo(Status.Code.SERIALIZATION);
      assertThat(status.description())
          .startsWith("could not decode the arguments of CallsService.echo: ");
    }
    assertThat(impl.executions("echo")).isZero();
  }

  @Test
  void unknownSerializerFailsWithUnimplemented() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(RawFrames.request(8, 0, 99, "test.Calls:1", "echo", new byte[0]));
      Status status = RawFrames.status(raw.readFrame());
      assertThat(status)
          .isEqualTo(
              Status.UNIMPLEMENTED.withDescription(
                  "serializer 99 is not available on this server; it accepts kryo (1), protobuf"
                      + " (2), json (3)"));
    }
  }

  @Test
  void serializerThatCannotCarryTheServiceFailsWithUnimplemented() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(RawFrames.request(9, 0, 2, "test.Calls:1", "echo", new byte[0]));
      Status status = RawFrames.status(raw.readFrame());
      assertThat(status.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
      assertThat(status.description())
          .startsWith("service 'test.Calls:1' cannot be called with the protobuf serializer: ");
    }
  }

  @Test
  void unknownFlagsFailWithInvalidArgument() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(RawFrames.request(10, 0x40, 1, "test.Calls:1", "echo", new byte[0]));
      assertThat(RawFrames.status(raw.readFrame()))
          .isEqualTo(Status.INVALID_ARGUMENT.withDescription("unknown request flags 0x40"));
    }
  }
}
