package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.minirpc.client.RpcClient;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.serialize.KryoSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.CountingSerializer;
import io.minirpc.testing.Gadgets;
import io.minirpc.testing.RawConnection;
import io.minirpc.testing.RawFrames;
import io.minirpc.testing.logging.LogCapture;
import io.minirpc.testing.logging.LoggedEvent;
import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.event.Level;

/**
 * The lessons of Apache Dubbo's security advisories, one test each: what went wrong there cannot
 * happen here. docs/SECURITY.md maps each advisory to its test.
 */
class DubboAdvisoriesTest {

  // CVE-2020-1948: Dubbo decoded the arguments (with Hessian) before it looked the method up.

  @Test
  void serviceAndMethodAreFoundBeforeAnyArgumentIsDecoded() throws Exception {
    CountingSerializer kryo = new CountingSerializer(Gadgets.kryo());
    Gadgets.InboxImpl inbox = new Gadgets.InboxImpl();
    try (RpcServer server = server(inbox, kryo);
        RawConnection raw = new RawConnection(server.port())) {
      byte[] gadget = Gadgets.kryoEnvelopeNaming(Gadgets.SENTINEL);

      raw.write(RawFrames.request(1, 0, 1, "test.Unknown", "open", gadget));
      assertThat(RawFrames.status(raw.readFrame()))
          .isEqualTo(Status.NOT_FOUND.withDescription("no service 'test.Unknown' on this server"));
      raw.write(RawFrames.request(2, 0, 1, "test.Inbox", "$invoke", gadget));
      assertThat(RawFrames.status(raw.readFrame()))
          .isEqualTo(
              Status.NOT_FOUND.withDescription("service 'test.Inbox' has no method '$invoke'"));
      assertThat(kryo.argumentReads()).isZero();

      // A known method decodes only its declared types, which leave no room for the gadget.
      raw.write(RawFrames.request(3, 0, 1, "test.Inbox", "open", gadget));
      assertThat(RawFrames.status(raw.readFrame()).code()).isEqualTo(Status.Code.SERIALIZATION);
      assertThat(kryo.argumentReads()).isEqualTo(1);
    }
    assertThat(inbox.calls).hasValue(0);
    assertThat(Gadgets.SENTINEL_INITIALIZED).hasValue(0);
  }

  // CVE-2021-25641: Dubbo picked the deserializer by the id in the header, configured or not.

  @Test
  void headerCannotPickASerializerTheServerWasNotConfiguredWith() throws Exception {
    CountingSerializer json = new CountingSerializer(JsonSerializer.create());
    Gadgets.InboxImpl inbox = new Gadgets.InboxImpl();
    try (RpcServer server = server(inbox, json);
        RawConnection raw = new RawConnection(server.port())) {
      for (int claimed : new int[] {1, 2, 0, 127, 255}) {
        raw.write(
            RawFrames.request(
                claimed, 0, claimed, "test.Inbox", "open", Gadgets.kryoEnvelopeNaming("x.Y")));
        assertThat(RawFrames.status(raw.readFrame()))
            .isEqualTo(
                Status.UNIMPLEMENTED.withDescription(
                    "serializer "
                        + claimed
                        + " is not available on this server; it accepts json (3)"));
      }
    }
    assertThat(json.argumentReads()).isZero();
    assertThat(inbox.calls).hasValue(0);
    // A serializer the server has but that cannot carry the service: see ErrorsTest's
    // serializerThatCannotCarryTheServiceFailsWithUnimplemented.
  }

  // Dubbo's Kryo and FST fell back to Java serialization for classes they could not handle.

  /** Asks for Java serialization through Kryo's own annotation. */
  @DefaultSerializer(JavaSerializer.class)
  static final class JavaSerialized implements Serializable {
    private static final long serialVersionUID = 1L;
    String value;
  }

  /** Externalizable: Java serialization would call its methods; Kryo goes field by field. */
  public static final class SelfSerializing implements Externalizable {
    static final AtomicInteger EXTERNAL_CALLS = new AtomicInteger();

    String value;

    public SelfSerializing() {}

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
      EXTERNAL_CALLS.incrementAndGet();
      out.writeUTF(value);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
      EXTERNAL_CALLS.incrementAndGet();
      value = in.readUTF();
    }
  }

  /** Serializable with its own readObject, which Java serialization would call. */
  static final class WithReadObject implements Serializable {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger READ_OBJECT_CALLS = new AtomicInteger();

    String value;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      READ_OBJECT_CALLS.incrementAndGet();
      in.defaultReadObject();
    }
  }

  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @RpcService(name = "test.JavaSerialized")
  interface JavaSerializedService {
    void take(JavaSerialized value);
  }

  @RpcService(name = "test.Failures")
  interface FailureService {
    Failure echo(Failure failure);
  }

  @RpcService(name = "test.ReadObject")
  interface ReadObjectService {
    WithReadObject echo(WithReadObject value);

    WithReadObject fail(WithReadObject value);

    SelfSerializing external(SelfSerializing value);
  }

  static final class ReadObjectImpl implements ReadObjectService {
    @Override
    public WithReadObject echo(WithReadObject value) {
      return value;
    }

    @Override
    public WithReadObject fail(WithReadObject value) {
      throw new IllegalStateException("failed on purpose");
    }

    @Override
    public SelfSerializing external(SelfSerializing value) {
      return value;
    }
  }

  @Test
  void kryoNeverFallsBackToJavaSerialization() throws Exception {
    // A class that asks Kryo for Java serialization, and an exception, cannot be carried at all.
    assertThatThrownBy(
            () ->
                RpcServer.builder()
                    .serializers(KryoSerializer.create())
                    .addService(JavaSerializedService.class, v -> {})
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("asks for Java serialization, which the Kryo serializer never uses");
    assertThatThrownBy(
            () ->
                RpcServer.builder()
                    .serializers(KryoSerializer.create())
                    .addService(FailureService.class, f -> f)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "Kryo serializer cannot carry "
                + Failure.class.getName()
                + ": Kryo could not make a"
                + " serializer for it");

    // A Serializable class travels field by field, and a service's exception as its type's
    // name and its message: no ObjectInputStream is ever opened, in this JVM at all.
    int before = JavaDeserializations.count();
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .serializers(KryoSerializer.create())
                .addService(ReadObjectService.class, new ReadObjectImpl())
                .build()
                .start();
        RpcClient client = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build()) {
      ReadObjectService stub = client.stub(ReadObjectService.class);
      WithReadObject value = new WithReadObject();
      value.value = "v";

      assertThat(stub.echo(value).value).isEqualTo("v");
      SelfSerializing external = new SelfSerializing();
      external.value = "e";
      assertThat(stub.external(external).value).isEqualTo("e");
      RpcException e = catchThrowableOfType(RpcException.class, () -> stub.fail(value));
      assertThat(e.code()).isEqualTo(Status.Code.APPLICATION_ERROR);
      assertThat(e.remoteType()).isEqualTo(IllegalStateException.class.getName());
    }
    assertThat(WithReadObject.READ_OBJECT_CALLS).hasValue(0);
    assertThat(SelfSerializing.EXTERNAL_CALLS).hasValue(0);
    assertThat(JavaDeserializations.count()).isEqualTo(before);
  }

  /** Counts every class any ObjectInputStream of this JVM resolves, through the JVM-wide filter. */
  static final class JavaDeserializations {
    private static final AtomicInteger CHECKED = new AtomicInteger();
    private static boolean installed;

    static synchronized int count() {
      if (!installed) {
        ObjectInputFilter.Config.setSerialFilter(
            info -> {
              CHECKED.incrementAndGet();
              return ObjectInputFilter.Status.UNDECIDED;
            });
        installed = true;
      }
      return CHECKED.get();
    }
  }

  // CVE-2021-32824: Dubbo's telnet handler answered "invoke" commands on the RPC port.

  @Test
  void noTelnetInvokeOrEchoHandlerIsReachableOnTheRpcPort() throws Exception {
    Gadgets.InboxImpl inbox = new Gadgets.InboxImpl();
    try (RpcServer server = server(inbox, Gadgets.kryo(), JsonSerializer.create())) {
      for (String command :
          List.of(
              "ls\r\n",
              "help\r\n",
              "status -l\r\n",
              "invoke test.Inbox.open({\"label\":\"x\"})\r\n",
              "select 1\r\n")) {
        try (RawConnection raw = new RawConnection(server.port())) {
          raw.write(command.getBytes(StandardCharsets.US_ASCII));
          // Closed without a single byte in answer.
          assertThat(raw.isClosedByPeer()).as(command).isTrue();
        }
      }
      try (RawConnection raw = new RawConnection(server.port())) {
        long id = 1;
        for (String method : List.of("$invoke", "$invokeAsync", "$echo", "toString", "hashCode")) {
          raw.write(RawFrames.request(id++, 0, 3, "test.Inbox", method, new byte[] {'[', ']'}));
          assertThat(RawFrames.status(raw.readFrame()))
              .isEqualTo(
                  Status.NOT_FOUND.withDescription(
                      "service 'test.Inbox' has no method '" + method + "'"));
        }
        for (String service :
            List.of(
                "org.apache.dubbo.rpc.service.GenericService",
                "org.apache.dubbo.rpc.service.EchoService",
                "io.minirpc.Admin")) {
          raw.write(RawFrames.request(id++, 0, 3, service, "$invoke", new byte[] {'[', ']'}));
          assertThat(RawFrames.status(raw.readFrame()))
              .isEqualTo(
                  Status.NOT_FOUND.withDescription("no service '" + service + "' on this server"));
        }
      }
    }
    assertThat(inbox.calls).hasValue(0);
  }

  // CVE-2021-36161 and kin: Dubbo formatted untrusted arguments with toString() in its logs and
  // error messages, which ran the attacker's chosen code.

  /** An argument whose toString() an attacker would choose; counts every call of it. */
  public static final class Loud {
    static final AtomicInteger TO_STRING_CALLS = new AtomicInteger();

    public String text;
    public Object extra;

    public Loud() {}

    Loud(String text, Object extra) {
      this.text = text;
      this.extra = extra;
    }

    @Override
    public String toString() {
      TO_STRING_CALLS.incrementAndGet();
      return "Loud";
    }
  }

  @RpcService(name = "test.Loud")
  interface LoudService {
    Loud echo(Loud loud);

    /** Throws an exception that does not mention the argument. */
    Loud fail(Loud loud);

    @CallTimeout(millis = 200)
    Loud slow(Loud loud);

    /** Returns a value no serializer can encode. */
    Loud badResult(Loud loud);

    @OneWay
    void fire(Loud loud);
  }

  static final class LoudImpl implements LoudService {
    final CountDownLatch slowGate = new CountDownLatch(1);
    final CountDownLatch fired = new CountDownLatch(1);

    @Override
    public Loud echo(Loud loud) {
      return loud;
    }

    @Override
    public Loud fail(Loud loud) {
      throw new IllegalStateException("failed on purpose");
    }

    @Override
    public Loud slow(Loud loud) {
      try {
        slowGate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return loud;
    }

    @Override
    public Loud badResult(Loud loud) {
      return new Loud("bad", new Object());
    }

    @Override
    public void fire(Loud loud) {
      fired.countDown();
      throw new IllegalStateException("one-way failure");
    }
  }

  static Stream<Serializer> serializers() {
    return Stream.of(KryoSerializer.create(), JsonSerializer.create());
  }

  @ParameterizedTest
  @MethodSource("serializers")
  void untrustedValuesAreNeverFormattedInErrorTimeoutOrLogPaths(Serializer serializer)
      throws Exception {
    Loud.TO_STRING_CALLS.set(0);
    LoudImpl impl = new LoudImpl();
    try (LogCapture logs = LogCapture.start(Level.TRACE);
        RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .serializers(serializer)
                .addService(LoudService.class, impl)
                .build()
                .start();
        RpcClient client =
            RpcClient.builder()
                .addresses("127.0.0.1:" + server.port())
                .serializer(serializer)
                // Every logger formats everything at trace: on a busy machine, the first call
                // may take a while.
                .timeout(Duration.ofSeconds(20))
                .build()) {
      LoudService stub = client.stub(LoudService.class);
      Loud loud = new Loud("hello", null);

      assertThat(stub.echo(loud).text).isEqualTo("hello");
      assertThat(code(() -> stub.fail(loud))).isEqualTo(Status.Code.APPLICATION_ERROR);
      assertThat(code(() -> stub.slow(loud))).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      impl.slowGate.countDown();
      assertThat(code(() -> stub.badResult(loud))).isEqualTo(Status.Code.SERIALIZATION);
      assertThat(code(() -> stub.echo(new Loud("x", new Object()))))
          .isEqualTo(Status.Code.SERIALIZATION);
      stub.fire(loud);
      assertThat(impl.fired.await(10, TimeUnit.SECONDS)).isTrue();
      // A payload the server decodes, then refuses for the bytes after it.
      try (RawConnection raw = new RawConnection(server.port())) {
        byte[] extra = serializer.id() == 1 ? new byte[] {7} : "[{\"text\":\"t\"},1]".getBytes();
        byte[] body = serializer.id() == 1 ? join(kryoLoud(serializer), extra) : extra;
        raw.write(RawFrames.request(1, 0, serializer.id(), "test.Loud", "echo", body));
        assertThat(RawFrames.status(raw.readFrame()).code()).isEqualTo(Status.Code.SERIALIZATION);
      }
      // The failing paths did log, at debug and trace, with every argument formatted.
      assertThat(logs.events())
          .extracting(LoggedEvent::message)
          .anyMatch(m -> m.contains("LoudService.fail") && m.endsWith("threw"));
    }
    assertThat(Loud.TO_STRING_CALLS).hasValue(0);
  }

  private static byte[] kryoLoud(Serializer serializer) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    List<MethodSignature> signatures =
        List.of(
            new MethodSignature(
                LoudService.class.getMethod("echo", Loud.class), List.of(Loud.class), Loud.class));
    serializer
        .prepare(LoudService.class, signatures)
        .get(signatures.get(0))
        .writeArguments(new Object[] {new Loud("t", null)}, out);
    return out.toByteArray();
  }

  private static Status.Code code(Runnable call) {
    RpcException e = catchThrowableOfType(RpcException.class, call::run);
    assertThat(e).isNotNull();
    return e.code();
  }

  private static byte[] join(byte[] a, byte[] b) {
    byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static RpcServer server(Object service, Serializer... serializers) {
    return RpcServer.builder()
        .host("127.0.0.1")
        .serializers(serializers)
        .addService(service)
        .gracePeriod(Duration.ofSeconds(1))
        .build()
        .start();
  }
}
