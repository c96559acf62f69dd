package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.client.RpcClient;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.RawConnection;
import io.minirpc.testing.RawFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bytes that break the protocol close the offending connection, and only it: a healthy client of
 * the same server is served before, during and after.
 */
class ProtocolViolationTest {

  private RpcServer server;
  private RpcClient healthy;
  private CallsService calls;

  @BeforeEach
  void start() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .maxFrameSize(64 * 1024)
            .addService(new CallsServiceImpl())
            .build()
            .start();
    healthy = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build();
    calls = healthy.stub(CallsService.class);
    assertThat(calls.echo("before")).isEqualTo("before");
  }

  @AfterEach
  void stop() {
    assertThat(calls.echo("after")).isEqualTo("after");
    healthy.close();
    server.close();
  }

  private static byte[] validRequest() {
    ByteBuf frame = RawFrames.request(1, 0, 1, "test.Calls:1", "echo", new byte[] {1, 0});
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  @Test
  void badMagicClosesTheConnection() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(
          "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(raw.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void unknownVersionIsAnsweredThenTheConnectionClosed() throws Exception {
    byte[] frame = validRequest();
    frame[FrameHeader.VERSION_OFFSET] = 9;
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(frame);
      byte[] answer = raw.readFrame();
      assertThat(RawFrames.requestId(answer)).isEqualTo(1);
      assertThat(RawFrames.status(answer))
          .isEqualTo(
              Status.UNIMPLEMENTED.withDescription(
                  "protocol version 9 is not supported; this peer speaks version 1"));
      assertThat(raw.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void negativeLengthClosesTheConnection() throws Exception {
    byte[] frame = Arrays.copyOf(validRequest(), FrameHeader.SIZE);
    frame[FrameHeader.LENGTH_OFFSET] = (byte) 0xFF;
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(frame);
      assertThat(raw.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void oversizedLengthClosesTheConnectionBeforeTheBodyArrives() throws Exception {
    byte[] frame = Arrays.copyOf(validRequest(), FrameHeader.SIZE);
    // 64 KiB + 1: one byte over this server's limit. Only the header is sent.
    frame[FrameHeader.LENGTH_OFFSET + 1] = 0x01;
    frame[FrameHeader.LENGTH_OFFSET + 2] = 0x00;
    frame[FrameHeader.LENGTH_OFFSET + 3] = 0x01;
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(frame);
      assertThat(raw.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void bodyOfExactlyTheMaximumIsServed() throws Exception {
    // The body: 2 + 12 bytes of service key, 2 + 4 of method key, then ["x...x"] as JSON.
    String text = "x".repeat(64 * 1024 - 20 - 4);
    byte[] arguments = ("[\"" + text + "\"]").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    ByteBuf frame = RawFrames.request(4, 0, 3, "test.Calls:1", "echo", arguments);
    assertThat(frame.readableBytes()).isEqualTo(FrameHeader.SIZE + 64 * 1024);
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(frame);
      byte[] answer = raw.readFrame();
      assertThat(RawFrames.requestId(answer)).isEqualTo(4);
      assertThat(new String(answer, FrameHeader.SIZE, answer.length - FrameHeader.SIZE))
          .isEqualTo("\"" + text + "\"");
    }
  }

  @Test
  void connectionClosedInTheMiddleOfAFrameLeavesTheServerServing() throws Exception {
    byte[] frame = validRequest();
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(Arrays.copyOf(frame, frame.length - 1));
    }
    // The server logs the truncated frame and drops it; the health check in stop() does the rest.
  }

  @Test
  void responseFrameSentToTheServerClosesTheConnection() throws Exception {
    byte[] frame = validRequest();
    frame[FrameHeader.TYPE_OFFSET] = 2;
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(frame);
      assertThat(raw.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void malformedKeysAreAnsweredWithInvalidArgument() throws Exception {
    byte[] header = Arrays.copyOf(validRequest(), FrameHeader.SIZE + 2);
    // A body of two bytes announcing a 0xFFFF-byte service key.
    header[FrameHeader.LENGTH_OFFSET + 3] = 2;
    header[FrameHeader.SIZE] = (byte) 0xFF;
    header[FrameHeader.SIZE + 1] = (byte) 0xFF;
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(header);
      Status status = RawFrames.status(raw.readFrame());
      assertThat(status.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status.description())
          .isEqualTo(
              "malformed request: string of 65535 bytes runs past the end of the frame body (0"
                  + " bytes left)");
    }
  }
}
