package io.minirpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.Attachments;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.testing.RawFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The attachment section of request frames: written, read back, and refused when it is bad. */
class AttachmentsCodecTest {

  private static final byte[] ARGS = "[1]".getBytes(StandardCharsets.US_ASCII);

  private static byte[] bytes(ByteBuf frame) {
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  /** The frame, its reader index at the attachment section. */
  private static ByteBuf atAttachments(byte[] frame) {
    ByteBuf buf = Unpooled.wrappedBuffer(frame);
    FrameReader.skipHeader(buf);
    FrameReader.readString(buf);
    FrameReader.readString(buf);
    return buf;
  }

  @Test
  void requestWithoutAttachmentsHasNoFlagAndNoSection() {
    byte[] plain = bytes(RawFrames.request(1, 0, 3, "test.Calls:1", "add", ARGS));
    byte[] empty =
        bytes(RawFrames.request(1, 0, 3, "test.Calls:1", "add", Attachments.EMPTY, ARGS));

    assertThat(empty).isEqualTo(plain);
    assertThat(plain[FrameHeader.FLAGS_OFFSET]).isZero();
    // Header, two keys with their lengths, the arguments: nothing else.
    assertThat(plain).hasSize(FrameHeader.SIZE + 2 + 12 + 2 + 3 + ARGS.length);
  }

  @Test
  void attachmentsAreWrittenAfterTheMethodKeyAndReadBack() {
    Attachments sent =
        Attachments.of(Map.of("Authorization", "MINIRPC x", "tenant", "acmé", "trace-id", "42"));
    byte[] frame =
        bytes(RawFrames.request(1, FrameHeader.FLAG_ONE_WAY, 3, "test.Calls:1", "add", sent, ARGS));

    assertThat(frame[FrameHeader.FLAGS_OFFSET])
        .isEqualTo((byte) (FrameHeader.FLAG_ONE_WAY | FrameHeader.FLAG_ATTACHMENTS));
    ByteBuf buf = atAttachments(frame);
    Attachments read = FrameReader.readAttachments(buf, AttachmentLimits.DEFAULT);
    assertThat(read).isEqualTo(sent);
    assertThat(read.get("AUTHORIZATION")).isEqualTo("MINIRPC x");
    assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(ARGS);
  }

  @Test
  void sectionLayoutIsCountThenLengthPrefixedKeysAndValues() {
    byte[] frame =
        bytes(RawFrames.request(1, 0, 3, "s", "m", Attachments.EMPTY.with("K", "vé"), ARGS));
    byte[] section = Arrays.copyOfRange(frame, FrameHeader.SIZE + 6, frame.length - ARGS.length);

    assertThat(section).containsExactly(0, 1, 0, 1, 'k', 0, 3, 'v', 0xC3, 0xA9);
  }

  @Test
  void moreAttachmentsThanTheLimitAreRefusedWithResourceExhausted() {
    byte[] frame =
        bytes(
            RawFrames.request(
                1, 0, 3, "s", "m", Attachments.of(Map.of("a", "1", "b", "2", "c", "3")), ARGS));

    RpcException e =
        catchThrowableOfType(
            RpcException.class,
            () -> FrameReader.readAttachments(atAttachments(frame), new AttachmentLimits(2, 100)));

    assertThat(e.status())
        .isEqualTo(
            Status.RESOURCE_EXHAUSTED.withDescription(
                "the request carries 3 attachments, over this server's limit of 2"));
  }

  @Test
  void attachmentsLargerThanTheLimitAreRefusedWithResourceExhausted() {
    byte[] frame =
        bytes(
            RawFrames.request(
                1, 0, 3, "s", "m", Attachments.EMPTY.with("key", "x".repeat(98)), ARGS));

    assertThat(FrameReader.readAttachments(atAttachments(frame), new AttachmentLimits(8, 101)))
        .isEqualTo(Attachments.EMPTY.with("key", "x".repeat(98)));
    RpcException e =
        catchThrowableOfType(
            RpcException.class,
            () -> FrameReader.readAttachments(atAttachments(frame), new AttachmentLimits(8, 100)));
    assertThat(e.status())
        .isEqualTo(
            Status.RESOURCE_EXHAUSTED.withDescription(
                "the request's attachments take 101 bytes, over this server's limit of 100"));
  }

  @Test
  void truncatedSectionIsRefusedWithInvalidArgument() {
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {0, 2, 0, 1, 'k', 0, 1, 'v', 0, 9, 'x'});

    RpcException e =
        catchThrowableOfType(
            RpcException.class, () -> FrameReader.readAttachments(buf, AttachmentLimits.DEFAULT));

    assertThat(e.status())
        .isEqualTo(
            Status.INVALID_ARGUMENT.withDescription(
                "malformed request attachments: attachment 2 of 2 is cut short"));
  }

  @Test
  void upperCaseOrRepeatedKeyIsRefusedWithInvalidArgument() {
    ByteBuf upper = Unpooled.wrappedBuffer(new byte[] {0, 1, 0, 1, 'K', 0, 1, 'v'});
    ByteBuf twice =
        Unpooled.wrappedBuffer(new byte[] {0, 2, 0, 1, 'k', 0, 1, 'v', 0, 1, 'k', 0, 1, 'w'});

    assertThat(
            catchThrowableOfType(
                    RpcException.class,
                    () -> FrameReader.readAttachments(upper, AttachmentLimits.DEFAULT))
                .status())
        .isEqualTo(
            Status.INVALID_ARGUMENT.withDescription(
                "malformed request attachments: attachment 1 has an invalid key"));
    assertThat(
            catchThrowableOfType(
                    RpcException.class,
                    () -> FrameReader.readAttachments(twice, AttachmentLimits.DEFAULT))
                .status())
        .isEqualTo(
            Status.INVALID_ARGUMENT.withDescription(
                "malformed request attachments: attachment key 'k' appears twice"));
  }
}
