package io.minirpc.serialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.esotericsoftware.kryo.io.Output;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.google.protobuf.ListValue;
import com.google.protobuf.StringValue;
import com.google.protobuf.Value;
import io.minirpc.MethodCodec;
import io.minirpc.MethodSignature;
import io.minirpc.RpcException;
import io.minirpc.RpcService;
import io.minirpc.Serializer;
import io.minirpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each limit on what a serializer reads, with a payload just under it (read) and just over it
 * (refused with SERIALIZATION): nesting depth, string, name, number and element counts, message
 * size, and the number of arguments. The frame size is tested by {@code FrameDecoderTest} and
 * {@code ProtocolViolationTest}.
 */
class SerializerLimitsTest {

  record Node(String value, Node next) {}

  @RpcService
  interface KryoLimited {
    int add(int a, int b);

    byte[] blob(byte[] data);

    Node chain(Node node);
  }

  @RpcService
  interface JsonLimited {
    int add(int a, int b);

    String echo(String text);

    List<Object> objects(List<Object> data);

    Map<String, Integer> counts(Map<String, Integer> counts);
  }

  @RpcService
  interface ProtoLimited {
    StringValue echo(StringValue text);

    Value nest(Value value);

    StringValue join(StringValue first, StringValue second);
  }

  // Kryo

  @Test
  void kryoGraphAtMaxDepthIsReadOneLevelDeeperIsRefused() throws Exception {
    // Every nested value counts, strings included: 7 nodes and the last one's string are 8 deep.
    KryoSerializer shallow = KryoSerializer.builder().maxDepth(8).build();
    MethodCodec writer = codec(KryoSerializer.create(), KryoLimited.class, "chain");
    MethodCodec reader = codec(shallow, KryoLimited.class, "chain");

    assertThat(read(reader, write(writer, chain(7)))).containsExactly(chain(7));
    assertRefused(
        reader,
        write(writer, chain(8)),
        "could not read the arguments of KryoLimited.chain: Max depth exceeded: 8");
  }

  @Test
  void kryoLengthThatFitsTheBytesLeftIsReadOneThatCannotIsRefusedBeforeAllocating()
      throws Exception {
    MethodCodec blob = codec(KryoSerializer.create(), KryoLimited.class, "blob");
    // 11 bytes: the length (plus one) in a varint, then 10 elements. The check counts from the
    // length itself, so 11 elements would pass it (and fail on reading); 12 cannot fit at all.
    byte[] fits = kryoArray(10, 10);
    byte[] cannotFit = kryoArray(12, 10);

    assertThat(read(blob, fits)).containsExactly((Object) new byte[10]);
    assertRefused(blob, cannotFit, "an array claims 12 elements but only 11 bytes are left");
  }

  /** A byte array claiming {@code claimed} elements, followed by {@code actual} bytes. */
  private static byte[] kryoArray(int claimed, int actual) {
    Output output = new Output(32);
    output.writeVarInt(claimed + 1, true);
    output.writeBytes(new byte[actual]);
    return output.toBytes();
  }

  @Test
  void kryoDeclaredArgumentsAreReadOneMoreIsRefused() throws Exception {
    MethodCodec add = codec(KryoSerializer.create(), KryoLimited.class, "add");
    byte[] two = write(add, 40, 2);
    byte[] three = Arrays.copyOf(two, two.length + 1);
    three[two.length] = 6;

    assertThat(read(add, two)).containsExactly(40, 2);
    assertRefused(
        add,
        three,
        "could not read the arguments of KryoLimited.add: 1 bytes follow the last declared"
            + " value");
  }

  // JSON

  @Test
  void jsonNestingAtTheLimitIsReadOneLevelDeeperIsRefused() throws Exception {
    MethodCodec objects = codec(JsonSerializer.create(), JsonLimited.class, "objects");

    // The arguments' array is the first level.
    assertThat(read(objects, nested(500))).hasSize(1);
    assertRefused(
        objects, nested(501), "Document nesting depth (501) exceeds the maximum allowed (500");
  }

  private static byte[] nested(int depth) {
    return utf8("[".repeat(depth) + "]".repeat(depth));
  }

  @Test
  void jsonNumberAtTheLimitIsReadOneDigitLongerIsRefused() throws Exception {
    MethodCodec objects = codec(JsonSerializer.create(), JsonLimited.class, "objects");

    assertThat(read(objects, utf8("[[" + "9".repeat(1000) + "]]"))).hasSize(1);
    assertRefused(
        objects,
        utf8("[[" + "9".repeat(1001) + "]]"),
        "Number value length (1001) exceeds the maximum allowed (1000");
  }

  @Test
  void jsonPropertyNameAtTheLimitIsReadOneCharacterLongerIsRefused() throws Exception {
    MethodCodec counts = codec(JsonSerializer.create(), JsonLimited.class, "counts");

    assertThat(read(counts, utf8("[{\"" + "k".repeat(50_000) + "\":1}]"))).hasSize(1);
    assertRefused(
        counts,
        utf8("[{\"" + "k".repeat(50_001) + "\":1}]"),
        "Name length (50001) exceeds the maximum allowed (50000");
  }

  @Test
  void jsonStringAtTheConfiguredLimitIsReadOneCharacterLongerIsRefused() throws Exception {
    JsonSerializer strict =
        JsonSerializer.builder()
            .readConstraints(StreamReadConstraints.builder().maxStringLength(64).build())
            .build();
    MethodCodec echo = codec(strict, JsonLimited.class, "echo");

    assertThat(read(echo, utf8("[\"" + "s".repeat(64) + "\"]"))).containsExactly("s".repeat(64));
    assertRefused(
        echo,
        utf8("[\"" + "s".repeat(65) + "\"]"),
        "String value length (65) exceeds the maximum allowed (64");
  }

  @Test
  void jsonDeclaredArgumentsAreReadOneMoreIsRefused() throws Exception {
    MethodCodec add = codec(JsonSerializer.create(), JsonLimited.class, "add");

    assertThat(read(add, utf8("[40,2]"))).containsExactly(40, 2);
    assertRefused(
        add,
        utf8("[40,2,6]"),
        "could not read the arguments of JsonLimited.add: expected 2 arguments, got more");
  }

  // Protocol Buffers

  @Test
  void protobufNestingAtTheLimitIsReadOneLevelDeeperIsRefused() throws Exception {
    ProtobufSerializer shallow = ProtobufSerializer.builder().maxNestingDepth(10).build();
    MethodCodec writer = codec(ProtobufSerializer.create(), ProtoLimited.class, "nest");
    MethodCodec reader = codec(shallow, ProtoLimited.class, "nest");

    // Each list is two levels: a ListValue and the Value in it.
    assertThat(read(reader, write(writer, lists(5)))).containsExactly(lists(5));
    assertRefused(
        reader,
        write(writer, lists(6)),
        "Protocol message had too many levels of nesting.  May be malicious.");
  }

  private static Value lists(int depth) {
    Value value = Value.newBuilder().setStringValue("leaf").build();
    for (int i = 0; i < depth; i++) {
      value = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(value)).build();
    }
    return value;
  }

  @Test
  void protobufDeeplyNestedUnknownGroupsAreRefusedNotAStackOverflow() throws Exception {
    // CVE-2024-7254: groups of unknown fields, nested far deeper than any stack allows.
    int depth = 50_000;
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    for (int i = 0; i < depth; i++) {
      message.write((2 << 3) | 3); // start group, field 2
    }
    for (int i = 0; i < depth; i++) {
      message.write((2 << 3) | 4); // end group, field 2
    }
    Output value = new Output(8);
    value.writeByte(1); // present
    value.writeVarInt(message.size(), true);
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    payload.write(value.toBytes());
    message.writeTo(payload);
    MethodCodec echo = codec(ProtobufSerializer.create(), ProtoLimited.class, "echo");

    assertRefused(echo, payload.toByteArray(), "Protocol message had too many levels of nesting.");
  }

  @Test
  void protobufMessageAtMaxMessageSizeIsReadOneByteLargerIsRefused() throws Exception {
    ProtobufSerializer limited = ProtobufSerializer.builder().maxMessageSize(64).build();
    MethodCodec writer = codec(ProtobufSerializer.create(), ProtoLimited.class, "echo");
    MethodCodec reader = codec(limited, ProtoLimited.class, "echo");
    // A tag byte and a length byte, then the characters.
    StringValue atLimit = StringValue.of("x".repeat(62));
    StringValue over = StringValue.of("x".repeat(63));

    assertThat(read(reader, write(writer, atLimit))).containsExactly(atLimit);
    assertRefused(
        reader,
        write(writer, over),
        "could not read argument 0 of ProtoLimited.echo: the message is 65 bytes, over the limit"
            + " of 64");
  }

  @Test
  void protobufDeclaredArgumentsAreReadOneMoreIsRefused() throws Exception {
    MethodCodec join = codec(ProtobufSerializer.create(), ProtoLimited.class, "join");
    byte[] two = write(join, StringValue.of("a"), StringValue.of("b"));
    byte[] three = Arrays.copyOf(two, two.length + 1);
    three[two.length] = 0; // one more value: null

    assertThat(read(join, two)).containsExactly(StringValue.of("a"), StringValue.of("b"));
    assertRefused(
        join,
        three,
        "could not read the arguments of ProtoLimited.join: bytes follow the last value");
  }

  // Helpers

  private static Node chain(int length) {
    Node node = null;
    for (int i = 0; i < length; i++) {
      node = new Node("n" + i, node);
    }
    return node;
  }

  private static MethodCodec codec(Serializer serializer, Class<?> service, String method) {
    List<MethodSignature> signatures = KryoTestCodecs.signatures(service);
    Map<MethodSignature, MethodCodec> codecs = serializer.prepare(service, signatures);
    return signatures.stream()
        .filter(s -> s.method().getName().equals(method))
        .map(codecs::get)
        .findFirst()
        .orElseThrow();
  }

  private static byte[] write(MethodCodec codec, Object... arguments) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    codec.writeArguments(arguments, out);
    return out.toByteArray();
  }

  private static Object[] read(MethodCodec codec, byte[] payload) throws IOException {
    return codec.readArguments(new ByteArrayInputStream(payload));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertRefused(MethodCodec codec, byte[] payload, String why) {
    RpcException e = catchThrowableOfType(RpcException.class, () -> read(codec, payload));

    assertThat(e).as("refused").isNotNull();
    assertThat(e.code()).isEqualTo(Status.Code.SERIALIZATION);
    assertThat(e.status().description()).contains(why);
  }
}
