package io.minirpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.Attachments;
import io.minirpc.MethodCodec;
import io.minirpc.internal.service.MethodDescriptor;
import io.minirpc.internal.service.PreparedService;
import io.minirpc.internal.service.ServiceDescriptor;
import io.minirpc.internal.service.StreamingCodec;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.stream.StreamService;
import io.minirpc.testing.CallsService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/PROTOCOL.md true: its hex dumps must be exactly the frames this implementation writes
 * for {@code CallsService.add(40, 2)} with the JSON serializer, and the answer 42, for a ping, and
 * for the cancel of request 1.
 */
class ProtocolDocumentationTest {

  private static final Path DOC = Path.of("..", "docs", "PROTOCOL.md");

  static String requestDump() throws Exception {
    return requestDump(Attachments.EMPTY);
  }

  /** The same request carrying the attachment {@code tenant: acme}. */
  static String requestWithAttachmentDump() throws Exception {
    return requestDump(Attachments.EMPTY.with("tenant", "acme"));
  }

  private static String requestDump(Attachments attachments) throws Exception {
    PreparedService service =
        PreparedService.of(ServiceDescriptor.of(CallsService.class), JsonSerializer.create());
    MethodDescriptor add = service.service().method("add");
    MethodCodec codec = service.codec(add);
    ByteBuf frame =
        FrameWriter.request(
            UnpooledByteBufAllocator.DEFAULT,
            1,
            0,
            3,
            3000,
            add.serviceKeyBytes(),
            add.methodKeyBytes(),
            attachments,
            codec,
            new Object[] {40, 2},
            FrameHeader.DEFAULT_MAX_BODY_SIZE);
    try {
      return ByteBufUtil.prettyHexDump(frame);
    } finally {
      frame.release();
    }
  }

  static String responseDump() throws Exception {
    PreparedService service =
        PreparedService.of(ServiceDescriptor.of(CallsService.class), JsonSerializer.create());
    MethodCodec codec = service.codec(service.service().method("add"));
    ByteBuf frame =
        FrameWriter.response(
            UnpooledByteBufAllocator.DEFAULT, 1, 3, codec, 42, FrameHeader.DEFAULT_MAX_BODY_SIZE);
    try {
      return ByteBufUtil.prettyHexDump(frame);
    } finally {
      frame.release();
    }
  }

  static String pingDump() {
    ByteBuf frame = FrameWriter.ping(UnpooledByteBufAllocator.DEFAULT, 1);
    try {
      return ByteBufUtil.prettyHexDump(frame);
    } finally {
      frame.release();
    }
  }

  static String cancelDump() {
    ByteBuf frame = FrameWriter.cancel(UnpooledByteBufAllocator.DEFAULT, 1);
    try {
      return ByteBufUtil.prettyHexDump(frame);
    } finally {
      frame.release();
    }
  }

  /**
   * The request opening {@code StreamService.count(2)}, JSON, with a first credit of 16 and 3000 ms
   * left.
   */
  static String streamRequestDump() throws Exception {
    PreparedService service =
        PreparedService.of(ServiceDescriptor.of(StreamService.class), JsonSerializer.create());
    MethodDescriptor count = service.service().method("count");
    ByteBuf frame =
        FrameWriter.streamRequest(
            UnpooledByteBufAllocator.DEFAULT,
            1,
            3,
            count.serviceKeyBytes(),
            count.methodKeyBytes(),
            Attachments.EMPTY,
            16,
            service.codec(count),
            new Object[] {2L},
            FrameHeader.DEFAULT_MAX_BODY_SIZE);
    // As the client sends it, with 3000 ms left.
    frame.setInt(FrameHeader.TIMEOUT_OFFSET, 3000);
    return dump(frame);
  }

  /** The first item of that stream, {@code 0}. */
  static String streamItemDump() throws Exception {
    PreparedService service =
        PreparedService.of(ServiceDescriptor.of(StreamService.class), JsonSerializer.create());
    StreamingCodec codec = (StreamingCodec) service.codec(service.service().method("count"));
    return dump(
        FrameWriter.streamItem(
            UnpooledByteBufAllocator.DEFAULT,
            1,
            3,
            codec::writeResponseItem,
            0L,
            FrameHeader.DEFAULT_MAX_BODY_SIZE));
  }

  static String streamCreditDump() {
    return dump(FrameWriter.streamCredit(UnpooledByteBufAllocator.DEFAULT, 1, 16));
  }

  static String streamEndDump() {
    return dump(FrameWriter.streamEnd(UnpooledByteBufAllocator.DEFAULT, 1));
  }

  static String endOfStreamDump() {
    return dump(FrameWriter.endOfStream(UnpooledByteBufAllocator.DEFAULT, 1, 3));
  }

  private static String dump(ByteBuf frame) {
    try {
      return ByteBufUtil.prettyHexDump(frame);
    } finally {
      frame.release();
    }
  }

  @Test
  void documentedStreamFramesAreWhatTheCodeWrites() throws Exception {
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .contains(streamRequestDump())
        .contains(streamItemDump())
        .contains(streamCreditDump())
        .contains(streamEndDump())
        .contains(endOfStreamDump());
  }

  @Test
  void documentedRequestAndResponseAreWhatTheCodeWrites() throws Exception {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    assertThat(doc).contains(requestDump()).contains(responseDump());
  }

  @Test
  void documentedRequestWithAttachmentsIsWhatTheCodeWrites() throws Exception {
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8)).contains(requestWithAttachmentDump());
  }

  @Test
  void documentedPingIsWhatTheCodeWrites() throws Exception {
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8)).contains(pingDump());
  }

  @Test
  void documentedCancelIsWhatTheCodeWrites() throws Exception {
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8)).contains(cancelDump());
  }

  /** Prints the dumps, for updating the document after a deliberate change of the format. */
  public static void main(String[] args) throws Exception {
    System.out.println(requestDump());
    System.out.println(requestWithAttachmentDump());
    System.out.println(responseDump());
    System.out.println(pingDump());
    System.out.println(cancelDump());
    System.out.println(streamRequestDump());
    System.out.println(streamItemDump());
    System.out.println(streamCreditDump());
    System.out.println(streamEndDump());
    System.out.println(endOfStreamDump());
  }
}
