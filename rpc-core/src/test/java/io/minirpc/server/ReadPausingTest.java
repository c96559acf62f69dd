package io.minirpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.MethodCodec;
import io.minirpc.Status;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameReader;
import io.minirpc.internal.service.MethodDescriptor;
import io.minirpc.internal.service.PreparedService;
import io.minirpc.internal.service.ServiceDescriptor;
import io.minirpc.serialize.KryoSerializer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.RawFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A client that sends requests and reads no answers cannot make the server buffer them all. */
class ReadPausingTest {

  private static final int REQUESTS = 400;
  private static final int PAYLOAD = 64 * 1024;

  @Test
  void connectionWhoseClientReadsNoAnswersIsNotReadUntilItDoes() throws Exception {
    CallsServiceImpl impl = new CallsServiceImpl();
    KryoSerializer kryo = KryoSerializer.create();
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .writeBufferWaterMark(32 * 1024, 64 * 1024)
                .addService(impl)
                .build()
                .start();
        Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
      byte[] request = reverseRequest(kryo);
      AtomicInteger written = new AtomicInteger();
      Thread writer =
          new Thread(
              () -> {
                try {
                  OutputStream out = socket.getOutputStream();
                  for (int i = 1; i <= REQUESTS; i++) {
                    ByteBuf frame = Unpooled.wrappedBuffer(request.clone());
                    frame.setLong(FrameHeader.REQUEST_ID_OFFSET, i);
                    out.write(frame.array());
                    written.incrementAndGet();
                  }
                } catch (IOException e) {
                  // The test closes the socket if it fails first.
                }
              },
              "read-pausing-test-writer");
      writer.setDaemon(true);
      writer.start();

      // The answers back up in the server's buffers: it stops reading, so it stops running calls,
      // well before it has all the requests; the client's writes are held up by TCP meanwhile.
      int ranWhilePaused = awaitSteady(() -> impl.executions("reverse"));
      assertThat(ranWhilePaused).isPositive().isLessThan(REQUESTS / 2);
      assertThat(written.get()).isLessThan(REQUESTS);

      // Reading the answers lets the server read again, until every request is answered.
      DataInputStream in = new DataInputStream(socket.getInputStream());
      for (int i = 0; i < REQUESTS; i++) {
        byte[] header = new byte[FrameHeader.SIZE];
        in.readFully(header);
        ByteBuf head = Unpooled.wrappedBuffer(header);
        assertThat(FrameReader.status(head)).isEqualTo(Status.Code.OK);
        in.readFully(new byte[head.getInt(FrameHeader.SIZE - Integer.BYTES)]);
      }
      assertThat(impl.executions("reverse")).isEqualTo(REQUESTS);
      writer.join(10_000);
    }
  }

  /** A request for CallsService.reverse of a 64 KiB array, with request id 0. */
  private static byte[] reverseRequest(KryoSerializer kryo) throws IOException {
    ServiceDescriptor calls = ServiceDescriptor.of(CallsService.class);
    MethodDescriptor reverse =
        calls.methods().stream().filter(m -> m.name().equals("reverse")).findFirst().orElseThrow();
    MethodCodec codec = PreparedService.of(calls, kryo).codec(reverse);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    codec.writeArguments(new Object[] {new byte[PAYLOAD]}, body);
    ByteBuf frame =
        RawFrames.request(0, 0, kryo.id(), "test.Calls:1", "reverse", body.toByteArray());
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  /** Polls a count until it has not changed for half a second, and returns it. */
  private static int awaitSteady(java.util.function.IntSupplier count) {
    long steadyFor = Duration.ofMillis(500).toNanos();
    int[] last = {-1};
    long[] since = {System.nanoTime()};
    Await.until(
        Duration.ofSeconds(20),
        "the count to stop growing",
        () -> {
          int now = count.getAsInt();
          if (now != last[0]) {
            last[0] = now;
            since[0] = System.nanoTime();
            return false;
          }
          return now > 0 && System.nanoTime() - since[0] >= steadyFor;
        });
    return last[0];
  }
}
