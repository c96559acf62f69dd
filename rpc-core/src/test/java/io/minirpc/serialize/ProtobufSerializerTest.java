package io.minirpc.serialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import com.google.protobuf.Int64Value;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.minirpc.MethodCodec;
import io.minirpc.MethodSignature;
import io.minirpc.RpcException;
import io.minirpc.RpcService;
import io.minirpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ProtobufSerializerTest {

  @RpcService
  interface Greeter {
    StringValue greet(StringValue name, Int64Value times);

    CompletableFuture<Timestamp> now(Empty empty);

    void log(Struct entry);

    CompletableFuture<Void> forget(Int64Value id);

    Empty ping();

    StringValue join(StringValue first, StringValue second);
  }

  @RpcService
  interface UserService {
    StringValue getUser(long id);
  }

  @RpcService
  interface StringResult {
    String name(StringValue id);
  }

  @RpcService
  interface AbstractMessage {
    void send(Message message);
  }

  @RpcService
  interface ListOfMessages {
    void send(List<StringValue> messages);
  }

  @Test
  void idAndNameAreFixed() {
    ProtobufSerializer serializer = ProtobufSerializer.create();

    assertThat(serializer.id()).isEqualTo(2);
    assertThat(serializer.name()).isEqualTo("protobuf");
    assertThat(serializer.maxMessageSize()).isEqualTo(8 * 1024 * 1024);
  }

  @Test
  void messagesRoundTrip() throws IOException {
    StringValue name = StringValue.of("Ada");
    Int64Value times = Int64Value.of(Long.MAX_VALUE);

    assertThat(roundTripArguments(Greeter.class, "greet", name, times))
        .containsExactly(name, times);
    assertThat(roundTripResult(Greeter.class, "greet", StringValue.of("hello Ada")))
        .isEqualTo(StringValue.of("hello Ada"));
  }

  @Test
  void argumentsAreMarkedAndLengthDelimited() throws IOException {
    MethodCodec writer = codecs(Greeter.class, "greet").writer();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    writer.writeArguments(new Object[] {StringValue.of("a"), null}, out);

    assertThat(out.toByteArray()).containsExactly(1, 3, 0x0a, 1, 'a', 0);
  }

  @Test
  void nullArgumentsAndResultsRoundTrip() throws IOException {
    assertThat(roundTripArguments(Greeter.class, "greet", null, null)).containsExactly(null, null);
    assertThat(roundTripArguments(Greeter.class, "greet", null, Int64Value.of(3)))
        .containsExactly(null, Int64Value.of(3));
    assertThat(roundTripResult(Greeter.class, "greet", null)).isNull();
  }

  @Test
  void defaultInstanceIsNotNull() throws IOException {
    assertThat(roundTripArguments(Greeter.class, "greet", StringValue.getDefaultInstance(), null))
        .containsExactly(StringValue.getDefaultInstance(), null);
  }

  @Test
  void futureResultIsCarriedAsItsMessage() throws IOException {
    Timestamp now = Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(123).build();

    assertThat(roundTripArguments(Greeter.class, "now", Empty.getDefaultInstance()))
        .containsExactly(Empty.getDefaultInstance());
    assertThat(roundTripResult(Greeter.class, "now", now)).isEqualTo(now);
  }

  @Test
  void nestedStructRoundTrips() throws IOException {
    Struct entry =
        Struct.newBuilder()
            .putFields("user", Value.newBuilder().setStringValue("ada").build())
            .putFields("count", Value.newBuilder().setNumberValue(3).build())
            .putFields(
                "tags",
                Value.newBuilder()
                    .setListValue(
                        ListValue.newBuilder()
                            .addValues(Value.newBuilder().setBoolValue(true))
                            .addValues(
                                Value.newBuilder()
                                    .setStructValue(
                                        Struct.newBuilder()
                                            .putFields(
                                                "deep",
                                                Value.newBuilder().setStringValue("x").build()))))
                    .build())
            .build();

    assertThat(roundTripArguments(Greeter.class, "log", entry)).containsExactly(entry);
  }

  @Test
  void voidResultsRoundTripAsNull() throws IOException {
    Codecs codecs = codecs(Greeter.class, "log");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    codecs.writer().writeResult(null, out);

    assertThat(out.toByteArray()).containsExactly(0);
    assertThat(codecs.reader().readResult(new ByteArrayInputStream(out.toByteArray()))).isNull();
    assertThat(roundTripResult(Greeter.class, "forget", null)).isNull();
    assertThat(roundTripArguments(Greeter.class, "ping")).isEmpty();
    assertThat(roundTripResult(Greeter.class, "ping", Empty.getDefaultInstance()))
        .isEqualTo(Empty.getDefaultInstance());
  }

  @Test
  void nonMessageParameterIsRefusedAtPrepare() {
    assertRefused(
        UserService.class,
        "UserService.getUser: parameter 0 has type long; the protobuf serializer carries only"
            + " com.google.protobuf.Message types");
  }

  @Test
  void nonMessageResultIsRefusedAtPrepare() {
    assertRefused(
        StringResult.class,
        "StringResult.name: the result has type java.lang.String; the protobuf serializer"
            + " carries only com.google.protobuf.Message types");
  }

  @Test
  void collectionOfMessagesIsRefusedAtPrepare() {
    assertRefused(
        ListOfMessages.class,
        "ListOfMessages.send: parameter 0 has type"
            + " java.util.List<com.google.protobuf.StringValue>; the protobuf serializer carries"
            + " only com.google.protobuf.Message types");
  }

  @Test
  void abstractMessageTypeIsRefusedAtPrepare() {
    assertRefused(
        AbstractMessage.class,
        "AbstractMessage.send: parameter 0 has type com.google.protobuf.Message, which is not a"
            + " concrete message class; the protobuf serializer carries only generated"
            + " com.google.protobuf.Message classes");
  }

  @Test
  void oversizedMessageIsRefusedOnRead() throws IOException {
    MethodCodec writer = codec(ProtobufSerializer.create(), Greeter.class, "greet");
    MethodCodec reader =
        codec(ProtobufSerializer.builder().maxMessageSize(64).build(), Greeter.class, "greet");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeArguments(new Object[] {StringValue.of("x".repeat(100)), null}, out);

    assertSerializationFailure(
        () -> reader.readArguments(new ByteArrayInputStream(out.toByteArray())),
        "could not read argument 0 of Greeter.greet: the message is 102 bytes, over the limit of"
            + " 64");
  }

  @Test
  void messageAtTheLimitIsRead() throws IOException {
    ProtobufSerializer serializer = ProtobufSerializer.builder().maxMessageSize(102).build();
    MethodCodec writer = codec(serializer, Greeter.class, "join");
    MethodCodec reader = codec(serializer, Greeter.class, "join");
    StringValue big = StringValue.of("x".repeat(100));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    writer.writeArguments(new Object[] {big, big}, out);

    assertThat(reader.readArguments(new ByteArrayInputStream(out.toByteArray())))
        .containsExactly(big, big);
  }

  @Test
  void hugeDeclaredLengthIsRefusedBeforeReading() {
    MethodCodec reader = codecs(Greeter.class, "now").reader();
    // Presence, then a varint length of 2^30 with no message behind it.
    byte[] bytes = {1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04};

    assertSerializationFailure(
        () -> reader.readArguments(new ByteArrayInputStream(bytes)),
        "could not read argument 0 of Greeter.now: the message is 1073741824 bytes, over the"
            + " limit of 8388608");
  }

  @Test
  void oversizedMessageIsRefusedOnWrite() {
    MethodCodec writer =
        codec(ProtobufSerializer.builder().maxMessageSize(10).build(), Greeter.class, "greet");

    assertSerializationFailure(
        () ->
            writer.writeResult(StringValue.of("more than ten bytes"), new ByteArrayOutputStream()),
        "could not write the result of Greeter.greet: the message is 21 bytes, over the limit"
            + " of 10");
  }

  @Test
  void garbageInputFails() {
    MethodCodec reader = codecs(Greeter.class, "greet").reader();
    byte[] badMessage = {1, 4, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0};

    assertThatThrownBy(() -> reader.readArguments(new ByteArrayInputStream(badMessage)))
        .isInstanceOf(RpcException.class)
        .hasMessageStartingWith(
            "SERIALIZATION: could not read argument 0 of Greeter.greet as"
                + " com.google.protobuf.StringValue: ")
        .hasCauseInstanceOf(IOException.class);
    assertSerializationFailure(
        () -> reader.readArguments(new ByteArrayInputStream(new byte[] {7})),
        "could not read argument 0 of Greeter.greet: bad presence byte 7");
  }

  @Test
  void truncatedInputFails() {
    MethodCodec reader = codecs(Greeter.class, "greet").reader();

    assertThatThrownBy(
            () -> reader.readArguments(new ByteArrayInputStream(new byte[] {1, 3, 0x0a})))
        .isInstanceOf(RpcException.class)
        .hasMessageStartingWith("SERIALIZATION: could not read argument 0 of Greeter.greet");
    assertThatThrownBy(() -> reader.readArguments(new ByteArrayInputStream(new byte[] {0})))
        .isInstanceOf(RpcException.class)
        .hasMessageStartingWith("SERIALIZATION: could not read argument 1 of Greeter.greet");
    assertThatThrownBy(() -> reader.readResult(new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(RpcException.class)
        .hasMessageStartingWith("SERIALIZATION: could not read the result of Greeter.greet");
  }

  @Test
  void bytesAfterTheLastValueFail() {
    MethodCodec reader = codecs(Greeter.class, "greet").reader();

    assertSerializationFailure(
        () -> reader.readArguments(new ByteArrayInputStream(new byte[] {0, 0, 0})),
        "could not read the arguments of Greeter.greet: bytes follow the last value");
  }

  @Test
  void argumentOfAnotherTypeFailsOnWrite() {
    MethodCodec writer = codecs(Greeter.class, "greet").writer();

    assertSerializationFailure(
        () ->
            writer.writeArguments(
                new Object[] {Int64Value.of(1), Int64Value.of(2)}, new ByteArrayOutputStream()),
        "could not write argument 0 of Greeter.greet: expected com.google.protobuf.StringValue,"
            + " got com.google.protobuf.Int64Value");
    assertSerializationFailure(
        () -> writer.writeArguments(new Object[] {null}, new ByteArrayOutputStream()),
        "could not write the arguments of Greeter.greet: expected 2, got 1");
  }

  @Test
  void maxMessageSizeMustBePositive() {
    assertThatThrownBy(() -> ProtobufSerializer.builder().maxMessageSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxMessageSize must be positive, but was 0");
  }

  @Test
  void outputStreamIsFlushedButNotClosed() throws IOException {
    MethodCodec writer = codecs(Greeter.class, "greet").writer();
    boolean[] closed = {false};
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream out =
        new OutputStream() {
          @Override
          public void write(int b) {
            written.write(b);
          }

          @Override
          public void close() {
            closed[0] = true;
          }
        };

    writer.writeArguments(new Object[] {StringValue.of("a"), Int64Value.of(1)}, out);

    assertThat(written.toByteArray()).hasSize(9);
    assertThat(closed[0]).isFalse();
  }

  // Test helpers.

  private record Codecs(MethodCodec writer, MethodCodec reader) {}

  /** The codecs of one method, prepared in two serializers as a client and a server would. */
  private static Codecs codecs(Class<?> service, String method) {
    return new Codecs(
        codec(ProtobufSerializer.create(), service, method),
        codec(ProtobufSerializer.create(), service, method));
  }

  private static MethodCodec codec(ProtobufSerializer serializer, Class<?> service, String method) {
    List<MethodSignature> signatures = signatures(service);
    Map<MethodSignature, MethodCodec> codecs = serializer.prepare(service, signatures);
    return signatures.stream()
        .filter(signature -> signature.method().getName().equals(method))
        .map(codecs::get)
        .findFirst()
        .orElseThrow();
  }

  private static List<MethodSignature> signatures(Class<?> service) {
    List<MethodSignature> signatures = new ArrayList<>();
    for (Method method : service.getDeclaredMethods()) {
      Type result = method.getGenericReturnType();
      if (method.getReturnType() == CompletableFuture.class) {
        result = ((ParameterizedType) result).getActualTypeArguments()[0];
      }
      signatures.add(
          new MethodSignature(method, Arrays.asList(method.getGenericParameterTypes()), result));
    }
    return signatures;
  }

  private static Object[] roundTripArguments(Class<?> service, String method, Object... args)
      throws IOException {
    Codecs codecs = codecs(service, method);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    codecs.writer().writeArguments(args, out);
    return codecs.reader().readArguments(new ByteArrayInputStream(out.toByteArray()));
  }

  private static Object roundTripResult(Class<?> service, String method, Object result)
      throws IOException {
    Codecs codecs = codecs(service, method);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    codecs.writer().writeResult(result, out);
    return codecs.reader().readResult(new ByteArrayInputStream(out.toByteArray()));
  }

  private static void assertRefused(Class<?> service, String message) {
    assertThatThrownBy(() -> ProtobufSerializer.create().prepare(service, signatures(service)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  private static void assertSerializationFailure(ThrowingCallable call, String description) {
    assertThatThrownBy(call)
        .isInstanceOf(RpcException.class)
        .hasMessage("SERIALIZATION: " + description)
        .satisfies(e -> assertThat(((RpcException) e).code()).isEqualTo(Status.Code.SERIALIZATION));
  }
}
