package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.client.RpcClient;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameReader;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.RawConnection;
import io.minirpc.testing.RawFrames;
import io.minirpc.testing.logging.LogCapture;
import io.minirpc.testing.logging.LoggedEvent;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * Server and client interceptors over the minirpc protocol: what they see, in which order they wrap
 * the call, how a refusal or a failure of theirs is answered, and the limits on attachments.
 * ServerInterceptorOutcomeTest covers the outcomes they see, on both ports.
 */
class InterceptorTest {

  /** Reads the call being served, from inside the service method. */
  @RpcService(name = "test.Context")
  public interface ContextService {
    String attachment(String key);

    /** The service and method of the current call, as "service/method". */
    String whoAmI();
  }

  static final class ContextServiceImpl implements ContextService {
    @Override
    public String attachment(String key) {
      return ServerCallContext.current().attachments().get(key);
    }

    @Override
    public String whoAmI() {
      ServerCallContext call = ServerCallContext.current();
      return call.service() + "/" + call.method();
    }
  }

  /** The JSON arguments of {@code echo("x")}. */
  private static final byte[] ECHO_X = "[\"x\"]".getBytes(StandardCharsets.UTF_8);

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final List<ServerCallContext> seen = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private RpcServer server(Consumer<RpcServer.Builder> config) {
    RpcServer.Builder b =
        RpcServer.builder()
            .host("127.0.0.1")
            .addService(impl)
            .addService(ContextService.class, new ContextServiceImpl());
    config.accept(b);
    RpcServer server = b.build().start();
    toClose.add(server);
    return server;
  }

  /** An interceptor that records each call it sees and lets it proceed. */
  private ServerInterceptor recording() {
    return (call, next) -> {
      seen.add(call);
      return next.proceed(call);
    };
  }

  private RpcClient client(RpcServer server, ClientInterceptor... interceptors) {
    RpcClient client =
        RpcClient.builder().addresses("127.0.0.1:" + server.port()).intercept(interceptors).build();
    toClose.add(client);
    return client;
  }

  @Test
  void interceptorSeesServiceMethodPeerAndDeadline() {
    RpcServer server = server(b -> b.intercept(recording()));

    assertThat(client(server).stub(CallsService.class).add(40, 2)).isEqualTo(42);

    assertThat(seen).hasSize(1);
    ServerCallContext call = seen.get(0);
    assertThat(call.service()).isEqualTo("test.Calls:1");
    assertThat(call.method()).isEqualTo("add");
    assertThat(((InetSocketAddress) call.remoteAddress()).getAddress().isLoopbackAddress())
        .isTrue();
    // The client's default timeout is 3 s: the server's view of the deadline comes from it.
    assertThat(call.deadline()).isPresent();
    assertThat(call.timeRemaining()).isLessThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(call.timeRemaining()).isGreaterThan(Duration.ofSeconds(1));
  }

  @Test
  void attachmentsOfClientInterceptorsReachServerInterceptors() {
    RpcServer server = server(b -> b.intercept(recording()));
    RpcClient client =
        client(server, (request, next) -> next.proceed(request.withAttachment("Tenant", "acme")));

    assertThat(client.stub(CallsService.class).add(40, 2)).isEqualTo(42);

    ServerCallContext call = seen.get(0);
    assertThat(call.attachments().asMap()).containsOnlyKeys("tenant");
    assertThat(call.attachments().get("TENANT")).isEqualTo("acme");
  }

  @Test
  void requestWithoutTimeoutHasNoDeadline() throws Exception {
    RpcServer server = server(b -> b.intercept(recording()));
    try (RawConnection connection = new RawConnection(server.port())) {
      connection.write(
          RawFrames.requestWithoutTimeout(
              1, 3, "test.Calls:1", "echo", "[\"x\"]".getBytes(StandardCharsets.UTF_8)));
      assertThat(FrameReader.status(Unpooled.wrappedBuffer(connection.readFrame())))
          .isEqualTo(Status.Code.OK);
    }

    assertThat(seen.get(0).deadline()).isEmpty();
    assertThat(seen.get(0).timeRemaining()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
  }

  @Test
  void serviceFindsItsCallThroughTheCurrentContext() {
    RpcServer server =
        server(
            b -> b.intercept((call, next) -> next.proceed(call.withAttachment("trace-id", "t-1"))));
    ContextService stub = client(server).stub(ContextService.class);

    assertThat(stub.attachment("Trace-Id")).isEqualTo("t-1");
    assertThat(stub.whoAmI()).isEqualTo("test.Context/whoAmI");
    assertThat(ServerCallContext.current()).isNull();
  }

  @Test
  void serviceFindsTheAttachmentsOfClientInterceptors() {
    RpcServer server = server(b -> {});
    RpcClient client =
        client(server, (request, next) -> next.proceed(request.withAttachment("trace-id", "t-1")));

    assertThat(client.stub(ContextService.class).attachment("Trace-Id")).isEqualTo("t-1");
  }

  @Test
  void callWithoutAttachmentsCarriesNone() {
    RpcServer server = server(b -> b.intercept(recording()));

    client(server).stub(CallsService.class).add(1, 2);

    assertThat(seen.get(0).attachments()).isEqualTo(Attachments.EMPTY);
  }

  @Test
  void interceptorMayAnswerWithoutTheService() {
    RpcServer server =
        server(b -> b.intercept((call, next) -> CompletableFuture.completedFuture("cached")));

    assertThat(client(server).stub(CallsService.class).echo("hi")).isEqualTo("cached");
    assertThat(impl.executions("echo")).isZero();
  }

  @Test
  void refusedCallIsAnsweredWithTheInterceptorsStatusBeforeItsArgumentsAreDecoded()
      throws Exception {
    RpcServer server =
        server(
            b ->
                b.intercept(
                    (call, next) -> {
                      throw Status.PERMISSION_DENIED.withDescription("not you").asException();
                    }));
    byte[] garbage = "\u0000not json nor kryo".getBytes(StandardCharsets.UTF_8);

    byte[] answer;
    try (RawConnection connection = new RawConnection(server.port())) {
      // Kryo (1) and JSON (3): the two serializers that can carry this service.
      for (int serializer : new int[] {1, 3}) {
        connection.write(
            RawFrames.request(serializer, 0, serializer, "test.Calls:1", "add", garbage));
        answer = connection.readFrame();
        assertThat(RawFrames.status(answer))
            .isEqualTo(Status.PERMISSION_DENIED.withDescription("not you"));
      }
    }
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void firstRegisteredInterceptorIsOutermostAndTheFirstRefusalEndsTheCall() {
    List<String> order = new CopyOnWriteArrayList<>();
    RpcServer server =
        server(
            b ->
                b.intercept(around("first", order))
                    .intercept(
                        (call, next) -> {
                          order.add("second");
                          throw Status.UNAUTHENTICATED.withDescription("who?").asException();
                        },
                        around("third", order)));
    CallsService stub = client(server).stub(CallsService.class);

    RpcException e = catchThrowableOfType(RpcException.class, () -> stub.echo("hi"));

    assertThat(e.status()).isEqualTo(Status.UNAUTHENTICATED.withDescription("who?"));
    assertThat(order).containsExactly("first", "second", "first saw UNAUTHENTICATED");
    assertThat(impl.executions("echo")).isZero();
  }

  @Test
  void interceptorsWrapOneAnotherInTheOrderTheyWereRegistered() {
    List<String> order = new CopyOnWriteArrayList<>();
    RpcServer server = server(b -> b.intercept(around("first", order), around("second", order)));

    assertThat(client(server).stub(CallsService.class).echo("hi")).isEqualTo("hi");

    assertThat(order).containsExactly("first", "second", "second saw OK", "first saw OK");
  }

  /** Records its name as the call comes in, and the status it sees as the call ends. */
  private static ServerInterceptor around(String name, List<String> order) {
    return (call, next) -> {
      order.add(name);
      return next.proceed(call)
          .whenComplete(
              (result, failure) ->
                  order.add(name + " saw " + Status.fromThrowable(failure).code()));
    };
  }

  @Test
  void interceptorThatThrowsFailsTheCallWithInternalAndTheConnectionServesOn() {
    RpcServer server =
        server(
            b ->
                b.intercept(
                    (call, next) -> {
                      if (call.method().equals("echo")) {
                        throw new IllegalStateException("bug in the interceptor");
                      }
                      return next.proceed(call);
                    }));
    CallsService stub = client(server).stub(CallsService.class);

    RpcException e;
    List<LoggedEvent> errors;
    try (LogCapture logs = LogCapture.start(Level.ERROR)) {
      e = catchThrowableOfType(RpcException.class, () -> stub.echo("hi"));
      errors = logs.events(Level.ERROR);
    }

    assertThat(e.status())
        .isEqualTo(
            Status.INTERNAL.withDescription(
                "the server failed to check the call (java.lang.IllegalStateException in an"
                    + " interceptor); the call was not run"));
    assertThat(impl.executions("echo")).isZero();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).message())
        .startsWith("Interceptor ")
        .endsWith(" failed on a call of test.Calls:1/echo");
    // The same connection goes on serving.
    assertThat(stub.add(2, 3)).isEqualTo(5);
  }

  @Test
  void interceptorWhoseFutureFailsAfterTheCallRanIsAnsweredInternal() {
    RpcServer server =
        server(
            b ->
                b.intercept(
                    (call, next) ->
                        next.proceed(call)
                            .thenApply(
                                result -> {
                                  throw new IllegalStateException("bug after the call");
                                })));
    CallsService stub = client(server).stub(CallsService.class);

    RpcException e;
    try (LogCapture logs = LogCapture.start(Level.ERROR)) {
      e = catchThrowableOfType(RpcException.class, () -> stub.echo("hi"));
      assertThat(logs.events(Level.ERROR)).hasSize(1);
    }

    assertThat(e.status())
        .isEqualTo(
            Status.INTERNAL.withDescription(
                "the server failed to answer the call (java.lang.IllegalStateException in an"
                    + " interceptor) after running it"));
    assertThat(impl.executions("echo")).isEqualTo(1);
  }

  @Test
  void interceptorThatRefusesWithOkIsAnsweredInternal() {
    RpcServer server =
        server(
            b ->
                b.intercept(
                    (call, next) -> {
                      throw Status.OK.asException();
                    }));

    RpcException e =
        catchThrowableOfType(
            RpcException.class, () -> client(server).stub(CallsService.class).echo("x"));

    assertThat(e.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.status().description())
        .startsWith("interceptor ")
        .endsWith(" refused the call with OK");
  }

  @Test
  void moreAttachmentsThanTheServerAllowsAreRefusedBeforeAnyInterceptor() throws Exception {
    RpcServer server = server(b -> b.maxAttachments(2).intercept(recording()));
    Attachments three = Attachments.EMPTY.with("a", "1").with("b", "2").with("c", "3");

    try (RawConnection connection = new RawConnection(server.port())) {
      connection.write(
          RawFrames.request(
              7, FrameHeader.FLAG_ATTACHMENTS, 3, "test.Calls:1", "echo", three, ECHO_X));
      assertThat(RawFrames.status(connection.readFrame()))
          .isEqualTo(
              Status.RESOURCE_EXHAUSTED.withDescription(
                  "the request carries 3 attachments, over this server's limit of 2"));
    }
    assertThat(seen).isEmpty();
    assertThat(impl.executions("echo")).isZero();
  }

  @Test
  void attachmentsLargerThanTheServerAllowsAreRefused() throws Exception {
    RpcServer server = server(b -> b.maxAttachmentBytes(100));
    Attachments big = Attachments.EMPTY.with("big", "x".repeat(98));

    try (RawConnection connection = new RawConnection(server.port())) {
      connection.write(
          RawFrames.request(
              7, FrameHeader.FLAG_ATTACHMENTS, 3, "test.Calls:1", "echo", big, ECHO_X));
      assertThat(RawFrames.status(connection.readFrame()))
          .isEqualTo(
              Status.RESOURCE_EXHAUSTED.withDescription(
                  "the request's attachments take 101 bytes, over this server's limit of 100"));
    }
    assertThat(impl.executions("echo")).isZero();
  }

  @Test
  void moreAttachmentsFromClientInterceptorsThanTheServerAllowsAreRefused() {
    RpcServer server = server(b -> b.maxAttachments(2).intercept(recording()));
    RpcClient client =
        client(
            server,
            (request, next) ->
                next.proceed(
                    request
                        .withAttachment("a", "1")
                        .withAttachment("b", "2")
                        .withAttachment("c", "3")));

    RpcException e =
        catchThrowableOfType(RpcException.class, () -> client.stub(CallsService.class).echo("x"));

    assertThat(e.status())
        .isEqualTo(
            Status.RESOURCE_EXHAUSTED.withDescription(
                "the request carries 3 attachments, over this server's limit of 2"));
    assertThat(seen).isEmpty();
  }

  @Test
  void malformedAttachmentSectionIsAnsweredInvalidArgument() throws Exception {
    RpcServer server = server(b -> {});
    try (RawConnection connection = new RawConnection(server.port())) {
      // The flag says attachments follow; the body has only two bytes where they should be.
      connection.write(
          RawFrames.request(
              7, FrameHeader.FLAG_ATTACHMENTS, 3, "test.Calls:1", "echo", new byte[] {0, 5}));
      assertThat(RawFrames.status(connection.readFrame()))
          .isEqualTo(
              Status.INVALID_ARGUMENT.withDescription(
                  "malformed request attachments: attachment 1 of 5 is cut short"));
    }
    assertThat(impl.executions("echo")).isZero();
  }

  @Test
  void clientInterceptorThatThrowsFailsTheCallWithoutSendingIt() {
    RpcServer server = server(b -> b.intercept(recording()));
    RpcClient client =
        client(
            server,
            (request, next) -> {
              throw new IllegalStateException("no token");
            });

    RpcException e =
        catchThrowableOfType(RpcException.class, () -> client.stub(CallsService.class).echo("x"));

    assertThat(e.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.status().description())
        .startsWith("client interceptor ")
        .endsWith(
            " failed on CallsService.echo: java.lang.IllegalStateException: no token; nothing was"
                + " sent");
    assertThat(seen).isEmpty();
  }
}
