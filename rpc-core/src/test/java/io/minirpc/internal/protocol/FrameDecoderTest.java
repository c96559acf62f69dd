package io.minirpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.testing.RawFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

  private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1024));

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private static byte[] request(long id, int bodySize) {
    ByteBuf frame = RawFrames.request(id, 0, 1, "s", "m", new byte[bodySize]);
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  @Test
  void splitsCoalescedFramesAndJoinsFragmentedOnes() {
    byte[] a = request(1, 10);
    byte[] b = request(2, 20);
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    // Coalesced, and cut in the middle of b's header.
    channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(both, 0, a.length + 5)));
    channel.writeInbound(
        Unpooled.wrappedBuffer(Arrays.copyOfRange(both, a.length + 5, both.length)));
    ByteBuf first = channel.readInbound();
    ByteBuf second = channel.readInbound();
    try {
      assertThat(FrameReader.requestId(first)).isEqualTo(1);
      assertThat(first.readableBytes()).isEqualTo(a.length);
      assertThat(FrameReader.requestId(second)).isEqualTo(2);
      assertThat(second.readableBytes()).isEqualTo(b.length);
    } finally {
      first.release();
      second.release();
    }
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void badMagicIsRefusedAfterTwoBytes() {
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G', 'E'})))
        .isInstanceOf(CorruptedFrameException.class)
        .hasMessage("bad magic 0x4745 (expected 0x4D52): the peer does not speak minirpc");
  }

  @Test
  void unknownVersionIsRefusedWithTheRequestId() {
    byte[] frame = request(77, 0);
    frame[FrameHeader.VERSION_OFFSET] = 2;
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(frame)))
        .isInstanceOfSatisfying(
            UnsupportedVersionException.class,
            e -> {
              assertThat(e.requestId()).isEqualTo(77);
              assertThat(e.version()).isEqualTo(2);
              assertThat(e.isRequest()).isTrue();
            })
        .hasMessage("protocol version 2 is not supported; this peer speaks version 1");
  }

  @Test
  void negativeLengthIsRefused() {
    byte[] header = Arrays.copyOf(request(1, 0), FrameHeader.SIZE);
    header[FrameHeader.LENGTH_OFFSET] = (byte) 0x80;
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(header)))
        .isInstanceOf(CorruptedFrameException.class)
        .hasMessageContaining("negative pre-adjustment length field");
  }

  @Test
  void lengthOverTheMaximumIsRefusedFromTheHeaderAlone() {
    byte[] header = Arrays.copyOf(request(1, 0), FrameHeader.SIZE);
    header[FrameHeader.LENGTH_OFFSET + 2] = 0x04;
    header[FrameHeader.LENGTH_OFFSET + 3] = 0x01;
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(header)))
        .isInstanceOf(TooLongFrameException.class);
  }

  @Test
  void bodyAtTheMaximumIsAccepted() {
    byte[] frame = request(5, 1024 - 2 - 1 - 2 - 1);
    assertThat(frame.length).isEqualTo(FrameHeader.SIZE + 1024);
    channel.writeInbound(Unpooled.wrappedBuffer(frame));
    ByteBuf decoded = channel.readInbound();
    try {
      assertThat(decoded.readableBytes()).isEqualTo(frame.length);
    } finally {
      decoded.release();
    }
  }

  @Test
  void writerRefusesABodyOverTheMaximum() {
    assertThatThrownBy(
            () ->
                FrameWriter.request(
                    io.netty.buffer.UnpooledByteBufAllocator.DEFAULT,
                    1,
                    0,
                    1,
                    0,
                    new byte[] {'s'},
                    new byte[] {'m'},
                    new io.minirpc.MethodCodec() {
                      @Override
                      public void writeArguments(Object[] arguments, java.io.OutputStream out)
                          throws java.io.IOException {
                        out.write(new byte[2000]);
                      }

                      @Override
                      public Object[] readArguments(java.io.InputStream in) {
                        return new Object[0];
                      }

                      @Override
                      public void writeResult(Object result, java.io.OutputStream out) {}

                      @Override
                      public Object readResult(java.io.InputStream in) {
                        return null;
                      }
                    },
                    new Object[0],
                    1024))
        .isInstanceOf(FrameTooLargeException.class)
        .hasMessage("the body would exceed the maximum frame body size of 1024 bytes");
  }
}
