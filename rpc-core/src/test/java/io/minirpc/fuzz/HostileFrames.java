package io.minirpc.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.google.protobuf.ListValue;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.minirpc.Attachments;
import io.minirpc.MethodCodec;
import io.minirpc.RpcException;
import io.minirpc.Serializer;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameType;
import io.minirpc.internal.protocol.FrameWriter;
import io.minirpc.internal.service.MethodDescriptor;
import io.minirpc.internal.service.PreparedService;
import io.minirpc.internal.service.ServiceDescriptor;
import io.minirpc.testing.Person;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Makes batches of request frames for one connection from a fuzzer's input: real requests, as a
 * client writes them, each sent as it is or mutated (bits flipped in the header or the body, bodies
 * cut or extended, garbage, wrong serializer ids, flags, timeouts and keys; pings and cancels among
 * them), and possibly ended by one frame that breaks the protocol (bad magic or version, wrong
 * frame type, negative, huge or unfinished length, noise).
 *
 * <p>The fuzzer's bytes drive the choices while they last; a generator seeded from them takes over
 * after that, so that every batch is long however short the input.
 */
final class HostileFrames {

  /** The request id of the well-formed echo that ends a batch the server must keep serving. */
  static final long SENTINEL_ID = 0x5E47_1E1D_0000_0001L;

  static final String SENTINEL_TEXT = "still serving";

  /** How a batch ends. */
  enum Ending {
    /** A well-formed echo: the server must answer it. */
    SENTINEL,
    BAD_MAGIC,
    BAD_VERSION,
    WRONG_TYPE,
    NEGATIVE_LENGTH,
    HUGE_LENGTH,
    UNFINISHED_BODY,
    NOISE,
    FLIPPED_ANYWHERE
  }

  /** One batch: its frames, written back to back, and how it ends. */
  record Batch(List<byte[]> frames, Ending ending) {
    byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      frames.forEach(out::writeBytes);
      return out.toByteArray();
    }
  }

  /** A real request frame, and where its arguments start. */
  private record Template(byte[] frame, int argumentsOffset) {}

  private final List<Template> templates = new ArrayList<>();
  private final byte[] sentinel;
  private final int maxBodySize;

  /**
   * Encodes one real request of every method of the fuzz targets with every serializer that can
   * carry it.
   */
  HostileFrames(List<Serializer> serializers, int maxBodySize) throws IOException {
    this.maxBodySize = maxBodySize;
    addTemplates(
        FuzzTargets.CallsTarget.class,
        serializers,
        Map.of(
            "echo", new Object[] {"hello"},
            "add", new Object[] {40, 2},
            "person", new Object[] {Person.sample(7)},
            "count", new Object[] {List.of("a", "b", "a")},
            "reverse", new Object[] {new byte[] {1, 2, 3}},
            "record", new Object[] {"event"},
            "fire", new Object[] {"fired"},
            "echoAsync", new Object[] {"async"},
            "fail", new Object[] {"boom"}));
    Struct nested =
        Struct.newBuilder()
            .putFields(
                "list",
                Value.newBuilder()
                    .setListValue(
                        ListValue.newBuilder()
                            .addValues(Value.newBuilder().setNumberValue(1.5))
                            .addValues(Value.newBuilder().setStringValue("x")))
                    .build())
            .putFields("flag", Value.newBuilder().setBoolValue(true).build())
            .build();
    addTemplates(
        FuzzTargets.ProtoTarget.class,
        serializers,
        Map.of(
            "echo", new Object[] {StringValue.of("hello")},
            "nest", new Object[] {nested}));
    ServiceDescriptor calls = ServiceDescriptor.of(FuzzTargets.CallsTarget.class);
    MethodDescriptor echo = calls.method("echo");
    this.sentinel =
        encode(
                echo,
                PreparedService.of(calls, serializers.get(0)).codec(echo),
                serializers.get(0).id(),
                new Object[] {SENTINEL_TEXT},
                SENTINEL_ID)
            .frame();
  }

  private void addTemplates(
      Class<?> service, List<Serializer> serializers, Map<String, Object[]> arguments)
      throws IOException {
    ServiceDescriptor descriptor = ServiceDescriptor.of(service);
    for (Serializer serializer : serializers) {
      PreparedService prepared;
      try {
        prepared = PreparedService.of(descriptor, serializer);
      } catch (IllegalArgumentException cannotCarry) {
        continue;
      }
      for (MethodDescriptor method : descriptor.methods()) {
        try {
          templates.add(
              encode(
                  method,
                  prepared.codec(method),
                  serializer.id(),
                  arguments.get(method.name()),
                  templates.size() + 1));
          // The same request carrying attachments, whose section the mutations reach too.
          templates.add(
              encode(
                  method,
                  prepared.codec(method),
                  serializer.id(),
                  arguments.get(method.name()),
                  templates.size() + 1,
                  ATTACHMENTS));
        } catch (RpcException cannotWrite) {
          // Kryo prepares protobuf messages but cannot write them; the server still reads them.
        }
      }
    }
  }

  private static final Attachments ATTACHMENTS =
      Attachments.EMPTY.with("authorization", "MINIRPC-HMAC-SHA256 key=k").with("tenant", "é");

  private Template encode(
      MethodDescriptor method,
      MethodCodec codec,
      int serializerId,
      Object[] arguments,
      long requestId)
      throws IOException {
    return encode(method, codec, serializerId, arguments, requestId, Attachments.EMPTY);
  }

  private Template encode(
      MethodDescriptor method,
      MethodCodec codec,
      int serializerId,
      Object[] arguments,
      long requestId,
      Attachments attachments)
      throws IOException {
    ByteBuf buf =
        FrameWriter.request(
            UnpooledByteBufAllocator.DEFAULT,
            requestId,
            0,
            serializerId,
            5_000,
            method.serviceKeyBytes(),
            method.methodKeyBytes(),
            attachments,
            codec,
            arguments,
            maxBodySize);
    try {
      int argumentsOffset =
          FrameHeader.SIZE
              + 2
              + method.serviceKeyBytes().length
              + 2
              + method.methodKeyBytes().length
              + sectionLength(attachments);
      return new Template(ByteBufUtil.getBytes(buf), argumentsOffset);
    } finally {
      buf.release();
    }
  }

  /** The bytes of the attachment section FrameWriter writes; 0 for none. */
  private static int sectionLength(Attachments attachments) {
    if (attachments.isEmpty()) {
      return 0;
    }
    int length = 2;
    for (Map.Entry<String, String> e : attachments.asMap().entrySet()) {
      length += 4 + e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    return length;
  }

  int templateCount() {
    return templates.size();
  }

  /** The fewest frames in a batch, its ending included. */
  static final int MIN_BATCH = 126;

  /** A batch of 125 to 175 frames, then its ending: half the time a sentinel. */
  Batch batch(FuzzedDataProvider data) {
    Choices choose = new Choices(data);
    int count = MIN_BATCH - 1 + choose.intIn(0, 50);
    List<byte[]> frames = new ArrayList<>(count + 1);
    for (int i = 0; i < count; i++) {
      frames.add(mutated(choose, i + 1));
    }
    int killers = Ending.values().length - 1;
    int pick = choose.intIn(0, 2 * killers - 1);
    Ending ending = pick < killers ? Ending.SENTINEL : Ending.values()[pick - killers + 1];
    frames.add(ending(choose, ending));
    return new Batch(frames, ending);
  }

  /** A frame whose framing (magic, version, type, length) stays intact. */
  private byte[] mutated(Choices choose, long requestId) {
    Template template = templates.get(choose.intIn(0, templates.size() - 1));
    byte[] frame = template.frame().clone();
    setLong(frame, FrameHeader.REQUEST_ID_OFFSET, requestId);
    switch (choose.intIn(0, 14)) {
      case 0 -> {
        // As the client wrote it.
      }
      case 1 -> flipBits(choose, frame, FrameHeader.SIZE, frame.length);
      case 2 -> flipBits(choose, frame, FrameHeader.FLAGS_OFFSET, FrameHeader.LENGTH_OFFSET);
      case 3 -> frame[FrameHeader.SERIALIZER_OFFSET] = (byte) choose.intIn(0, 255);
      case 4 -> frame = withBody(frame, FrameHeader.SIZE, choose.intIn(0, bodyLength(frame)));
      case 5 ->
          frame =
              join(
                  Arrays.copyOf(frame, template.argumentsOffset()),
                  choose.bytes(choose.intIn(0, 64)));
      case 6 ->
          frame = join(Arrays.copyOf(frame, FrameHeader.SIZE), choose.bytes(choose.intIn(0, 96)));
      case 7 -> frame = join(frame, choose.bytes(choose.intIn(1, 32)));
      case 8 -> frame[FrameHeader.FLAGS_OFFSET] = (byte) choose.intIn(0, 255);
      case 9 ->
          setInt(
              frame,
              FrameHeader.TIMEOUT_OFFSET,
              switch (choose.intIn(0, 4)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> -1;
                case 3 -> Integer.MAX_VALUE;
                default -> Integer.MIN_VALUE;
              });
      case 10 -> frame = withKeys(choose, frame, template.argumentsOffset());
      case 11 -> {
        // The header and keys of one request with the arguments of another.
        Template other = templates.get(choose.intIn(0, templates.size() - 1));
        frame =
            join(
                Arrays.copyOf(frame, template.argumentsOffset()),
                Arrays.copyOfRange(other.frame(), other.argumentsOffset(), other.frame().length));
      }
      case 12 -> {
        // A heartbeat among the requests: answered with a pong, the connection stays open.
        frame = Arrays.copyOf(frame, FrameHeader.SIZE);
        frame[FrameHeader.TYPE_OFFSET] = FrameType.PING.value();
      }
      case 13 -> {
        // A cancel of an earlier request of the batch, which may be queued, running or answered
        // (or of this frame's own id, which no request has): never answered, the connection stays
        // open.
        frame = Arrays.copyOf(frame, FrameHeader.SIZE);
        frame[FrameHeader.TYPE_OFFSET] = FrameType.CANCEL.value();
        setLong(frame, FrameHeader.REQUEST_ID_OFFSET, choose.intIn(1, (int) requestId));
      }
      default -> frame = Arrays.copyOf(frame, FrameHeader.SIZE);
    }
    if (requestIdOf(frame) == SENTINEL_ID) {
      setLong(frame, FrameHeader.REQUEST_ID_OFFSET, requestId);
    }
    setInt(frame, FrameHeader.LENGTH_OFFSET, frame.length - FrameHeader.SIZE);
    return frame;
  }

  private byte[] ending(Choices choose, Ending ending) {
    byte[] frame = templates.get(choose.intIn(0, templates.size() - 1)).frame().clone();
    setLong(frame, FrameHeader.REQUEST_ID_OFFSET, 0x7FFF_0000L + choose.intIn(0, 1000));
    switch (ending) {
      case SENTINEL -> frame = sentinel.clone();
      case BAD_MAGIC -> {
        int magic = choose.intIn(0, 0xFFFF);
        setShort(frame, 0, magic == (FrameHeader.MAGIC & 0xFFFF) ? magic + 1 : magic);
      }
      case BAD_VERSION -> frame[FrameHeader.VERSION_OFFSET] = (byte) choose.intIn(2, 256);
      case WRONG_TYPE -> {
        // Any type a client must not send: not a request, a ping (answered) or a cancel.
        int type = choose.intIn(2, 253);
        if (type >= FrameType.PING.value()) {
          type++;
        }
        if (type >= FrameType.CANCEL.value()) {
          type++;
        }
        frame[FrameHeader.TYPE_OFFSET] = (byte) type;
      }
      case NEGATIVE_LENGTH ->
          setInt(frame, FrameHeader.LENGTH_OFFSET, choose.intIn(Integer.MIN_VALUE, -1));
      case HUGE_LENGTH -> {
        setInt(frame, FrameHeader.LENGTH_OFFSET, choose.intIn(maxBodySize + 1, Integer.MAX_VALUE));
      }
      case UNFINISHED_BODY -> {
        int length = bodyLength(frame) + choose.intIn(1, 4096);
        setInt(frame, FrameHeader.LENGTH_OFFSET, Math.min(length, maxBodySize));
      }
      case NOISE -> frame = choose.bytes(choose.intIn(1, 200));
      case FLIPPED_ANYWHERE -> flipBits(choose, frame, 0, frame.length);
    }
    return frame;
  }

  private static void flipBits(Choices choose, byte[] frame, int from, int to) {
    if (from >= to) {
      return;
    }
    for (int flips = choose.intIn(1, 4); flips > 0; flips--) {
      frame[choose.intIn(from, to - 1)] ^= (byte) (1 << choose.intIn(0, 7));
    }
  }

  /** Replaces the service and method keys with arbitrary bytes, lengths included. */
  private static byte[] withKeys(Choices choose, byte[] frame, int argumentsOffset) {
    byte[] keys;
    switch (choose.intIn(0, 3)) {
      case 0 -> keys = choose.bytes(choose.intIn(0, 40));
      case 1 -> {
        byte[] service = choose.utf8(choose.intIn(0, 30));
        byte[] method = choose.utf8(choose.intIn(0, 30));
        keys =
            join(
                join(lengthPrefix(service.length), service),
                join(lengthPrefix(method.length), method));
      }
      case 2 -> {
        // Known Dubbo-style generic and admin entry points, which must not exist here.
        String[] methods = {"$invoke", "$invokeAsync", "$echo", "toString", "getClass", "wait"};
        byte[] method =
            methods[choose.intIn(0, methods.length - 1)].getBytes(StandardCharsets.UTF_8);
        byte[] service = "fuzz.Calls:1".getBytes(StandardCharsets.UTF_8);
        keys =
            join(
                join(lengthPrefix(service.length), service),
                join(lengthPrefix(method.length), method));
      }
      default -> keys = lengthPrefix(choose.intIn(0, 0xFFFF));
    }
    return join(
        join(Arrays.copyOf(frame, FrameHeader.SIZE), keys),
        Arrays.copyOfRange(frame, argumentsOffset, frame.length));
  }

  private static byte[] withBody(byte[] frame, int from, int length) {
    return Arrays.copyOf(frame, from + length);
  }

  private static int bodyLength(byte[] frame) {
    return frame.length - FrameHeader.SIZE;
  }

  static long requestIdOf(byte[] frame) {
    return frame.length < FrameHeader.SIZE
        ? -1
        : ByteBuffer.wrap(frame).getLong(FrameHeader.REQUEST_ID_OFFSET);
  }

  private static byte[] lengthPrefix(int length) {
    return new byte[] {(byte) (length >>> 8), (byte) length};
  }

  private static byte[] join(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static void setShort(byte[] frame, int offset, int value) {
    ByteBuffer.wrap(frame).putShort(offset, (short) value);
  }

  private static void setInt(byte[] frame, int offset, int value) {
    ByteBuffer.wrap(frame).putInt(offset, value);
  }

  private static void setLong(byte[] frame, int offset, long value) {
    ByteBuffer.wrap(frame).putLong(offset, value);
  }

  /** The fuzzer's bytes while they last, then a generator seeded from them. */
  private static final class Choices {
    private final FuzzedDataProvider data;
    private final Random random;

    Choices(FuzzedDataProvider data) {
      this.data = data;
      this.random = new Random(data.consumeLong());
    }

    int intIn(int min, int max) {
      return data.remainingBytes() > 0
          ? data.consumeInt(min, max)
          : (int) random.nextLong(min, (long) max + 1);
    }

    byte[] bytes(int length) {
      if (data.remainingBytes() >= length) {
        return data.consumeBytes(length);
      }
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      return bytes;
    }

    byte[] utf8(int length) {
      String s = data.remainingBytes() > 0 ? data.consumeString(length) : randomString(length);
      return s.getBytes(StandardCharsets.UTF_8);
    }

    private String randomString(int length) {
      StringBuilder s = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        s.appendCodePoint(
            random.nextInt(2) == 0 ? random.nextInt(0x20, 0x7F) : random.nextInt(0x80, 0x2FFF));
      }
      return s.toString();
    }
  }
}
