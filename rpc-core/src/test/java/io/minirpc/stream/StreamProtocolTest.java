package io.minirpc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.CallOptions;
import io.minirpc.RpcException;
import io.minirpc.RpcService;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameType;
import io.minirpc.internal.protocol.FrameWriter;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.RawConnection;
import io.minirpc.testing.RawFrames;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream calls on the wire: what an older provider makes of one, and how a provider answers a peer
 * that breaks the stream rules.
 */
class StreamProtocolTest {

  private static final Duration WITHIN = Duration.ofSeconds(10);
  private static final int JSON = 3;

  @RpcService(name = "test.Streams")
  interface UnaryCount {
    String count(long n);
  }

  private RpcServer server;

  @BeforeEach
  void start() {
    server =
        RpcServer.builder().host("127.0.0.1").addService(new StreamServiceImpl()).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aProviderOlderThanStreamsIsReportedUnimplementedAndSeesNoStreamFrame() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RpcClient client =
            RpcClient.builder()
                .addresses("127.0.0.1:" + listener.getLocalPort())
                .serializer(JsonSerializer.create())
                .build()) {
      StreamService streams = client.stub(StreamService.class, CallOptions.DEFAULT);
      TestSubscriber<Long> subscriber = TestSubscriber.keeping(8);
      streams.count(3).subscribe(subscriber);
      try (RawConnection provider = RawConnection.accept(listener, WITHIN)) {
        byte[] request = provider.readFrame();
        assertThat(RawFrames.type(request)).isEqualTo(FrameType.REQUEST.value());
        assertThat(request[FrameHeader.FLAGS_OFFSET] & FrameHeader.FLAG_STREAM).isNotZero();
        // What a provider of before streams answers a flag it does not know.
        provider.write(
            FrameWriter.error(
                UnpooledByteBufAllocator.DEFAULT,
                RawFrames.requestId(request),
                JSON,
                Status.INVALID_ARGUMENT.withDescription("unknown request flags 0x08"),
                null));

        RpcException e = catchThrowableOfType(() -> subscriber.await(WITHIN), RpcException.class);
        assertThat(e.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(e.status().description())
            .isEqualTo(
                "the provider at 127.0.0.1:"
                    + listener.getLocalPort()
                    + " does not take stream calls (it is older than them): unknown request flags"
                    + " 0x08");

        // The next frame the provider reads is the next call: no credit, cancel or item came.
        CompletableFuture<Long> next = streams.sum(new DemandPublisher<>(1, i -> i));
        byte[] frame = provider.readFrame();
        assertThat(RawFrames.type(frame)).isEqualTo(FrameType.REQUEST.value());
        assertThat(RawFrames.requestId(frame)).isNotEqualTo(RawFrames.requestId(request));
        next.cancel(true);
      }
    }
  }

  @Test
  void itemsBeyondTheCreditFailTheCallWithInvalidArgument() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(RawFrames.streamRequest(1, JSON, "test.Streams", "takeOnly", 0, bytes("[3]")));
      byte[] accepted = raw.readFrame();
      assertThat(RawFrames.type(accepted)).isEqualTo(FrameType.STREAM_CREDIT.value());
      assertThat(Unpooled.wrappedBuffer(accepted).getInt(FrameHeader.SIZE)).isZero();
      // The service asks for 3 items and never more: a fourth is beyond the credit.
      byte[] credit = raw.readFrame();
      assertThat(RawFrames.type(credit)).isEqualTo(FrameType.STREAM_CREDIT.value());
      assertThat(Unpooled.wrappedBuffer(credit).getInt(FrameHeader.SIZE)).isEqualTo(3);
      for (int i = 0; i < 4; i++) {
        raw.write(RawFrames.streamItem(1, JSON, bytes("[1]")));
      }

      byte[] answer = raw.readFrame();
      assertThat(RawFrames.type(answer)).isEqualTo(FrameType.RESPONSE.value());
      assertThat(RawFrames.status(answer).code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(RawFrames.status(answer).description())
          .isEqualTo(
              "the caller sent more items of the request stream of StreamService.takeOnly than"
                  + " its credit allowed");
    }
  }

  @Test
  void anUndecodableItemFailsTheCallWithSerialization() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(RawFrames.streamRequest(1, JSON, "test.Streams", "sum", 0, bytes("[]")));
      assertThat(RawFrames.type(raw.readFrame())).isEqualTo(FrameType.STREAM_CREDIT.value());
      assertThat(RawFrames.type(raw.readFrame())).isEqualTo(FrameType.STREAM_CREDIT.value());
      raw.write(RawFrames.streamItem(1, JSON, bytes("[\"not a number\"]")));

      byte[] answer = raw.readFrame();
      assertThat(RawFrames.status(answer).code()).isEqualTo(Status.Code.SERIALIZATION);
      assertThat(RawFrames.status(answer).description())
          .startsWith("could not decode an item of the request stream of StreamService.sum: ");
    }
  }

  @Test
  void aStreamMethodCalledWithoutTheStreamFlagIsUnimplemented() throws Exception {
    try (RpcClient client = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build()) {
      RpcException e =
          catchThrowableOfType(() -> client.stub(UnaryCount.class).count(3), RpcException.class);
      assertThat(e.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
      assertThat(e.status().description())
          .isEqualTo(
              "StreamService.count streams (it takes or returns a Flow.Publisher): only a stub of"
                  + " its interface can call it");
    }
  }

  @Test
  void theStreamFlagOnAUnaryMethodIsInvalidArgument() throws Exception {
    try (RpcServer unary =
            RpcServer.builder()
                .host("127.0.0.1")
                .addService(UnaryCount.class, n -> "unary " + n)
                .build()
                .start();
        RawConnection raw = new RawConnection(unary.port())) {
      raw.write(RawFrames.streamRequest(1, JSON, "test.Streams", "count", 1, bytes("[3]")));

      byte[] answer = raw.readFrame();
      assertThat(RawFrames.status(answer).code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(RawFrames.status(answer).description())
          .isEqualTo("UnaryCount.count is not a stream method, yet the request opens a stream");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
