package io.minirpc.serialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.minirpc.MethodCodec;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.testing.Gadgets;
import io.minirpc.testing.Gadgets.Envelope;
import io.minirpc.testing.Gadgets.JsonPayload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Payloads that name a class outside the allow-list, such as the JDK's deserialization gadgets, are
 * refused with SERIALIZATION by the Kryo serializer before the class is loaded, and read by the
 * JSON serializer as plain data or refused, never as that class. Through the serializers' own API;
 * {@code io.minirpc.GadgetPayloadEndToEndTest} sends the same payloads to a live server.
 */
class GadgetPayloadTest {

  @AfterEach
  void nothingWasLoadedOrCreated() {
    assertThat(Gadgets.SENTINEL_INITIALIZED).hasValue(0);
    assertThat(Gadgets.SENTINEL_CREATED).hasValue(0);
  }

  @Test
  void kryoClassNamesInAnObjectFieldAreRefusedBeforeAnyClassIsLoaded() throws Exception {
    MethodCodec open = Gadgets.codec(Gadgets.kryo(), "open");
    for (String gadget : Gadgets.CLASS_NAMES) {
      byte[] payload = Gadgets.kryoEnvelopeNaming(gadget);

      assertRefused(open, payload, "payload names a class by name, which is never accepted");
    }
  }

  @Test
  void kryoClassNamesWhereAnInterfaceIsDeclaredAreRefusedBeforeAnyClassIsLoaded() {
    MethodCodec area = Gadgets.codec(Gadgets.kryo(), "area");
    for (String gadget : Gadgets.CLASS_NAMES) {
      assertRefused(
          area,
          Gadgets.kryoShapeNaming(gadget),
          "payload names a class by name, which is never accepted");
    }
  }

  @Test
  void kryoRegistrationIdsOutsideTheAllowListAreRefused() throws Exception {
    MethodCodec open = Gadgets.codec(Gadgets.kryo(), "open");
    for (int id : new int[] {KryoAllowList.FIRST_USER_ID + 50, 9_999, 1 << 20}) {
      assertRefused(
          open, Gadgets.kryoEnvelopeWithClassId(id), "Encountered unregistered class ID: " + id);
    }
  }

  @Test
  void restrictedKryoNeverAsksAClassLoaderForANameFromTheWire() {
    List<String> asked = new CopyOnWriteArrayList<>();
    ClassLoader recording =
        new ClassLoader(getClass().getClassLoader()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            asked.add(name);
            return super.loadClass(name, resolve);
          }
        };
    RestrictedKryo kryo = new RestrictedKryo("test.Inbox");
    kryo.setRegistrationRequired(true);
    kryo.setClassLoader(recording);
    for (String gadget : Gadgets.CLASS_NAMES) {
      Output output = new Output(256);
      output.writeVarInt(1, true);
      output.writeString(gadget);

      assertThatThrownBy(() -> kryo.readClassAndObject(new Input(output.toBytes())))
          .isInstanceOf(KryoException.class)
          .hasMessage("the payload names a class by name, which is never accepted");
    }
    assertThat(asked).isEmpty();
  }

  @Test
  void kryoRefusesToWriteGadgetsEvenWhereTheDeclaredTypeWouldHoldThem() throws Exception {
    MethodCodec open = Gadgets.codec(Gadgets.kryo(), "open");
    Object proxy =
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {Runnable.class}, (p, m, a) -> null);
    PriorityQueue<String> queue = new PriorityQueue<>(Comparator.reverseOrder());
    queue.add("a");
    for (Object gadget : List.of(new URL("http://127.0.0.1/"), queue, proxy)) {
      RpcException e =
          catchThrowableOfType(
              RpcException.class,
              () -> open.writeArguments(new Object[] {new Envelope("x", gadget)}, sink()));

      assertThat(e.code()).as(gadget.getClass().getName()).isEqualTo(Status.Code.SERIALIZATION);
      // Kryo looks a proxy up as its InvocationHandler, which is not allowed either.
      assertThat(e.status().description())
          .containsPattern(
              "^class ("
                  + java.util.regex.Pattern.quote(gadget.getClass().getName())
                  + "|java.lang.reflect.InvocationHandler) is not allowed by the Kryo serializer");
    }
  }

  @Test
  void jsonClassNamesAreReadAsPlainDataOrRefusedNeverAsTheClass() throws Exception {
    JsonSerializer json = JsonSerializer.create();
    for (String gadget : Gadgets.CLASS_NAMES) {
      for (JsonPayload payload : Gadgets.jsonPayloads(gadget)) {
        MethodCodec codec = Gadgets.codec(json, payload.method());
        if (payload.refused()) {
          assertRefused(codec, payload.json().getBytes(StandardCharsets.UTF_8), "");
          continue;
        }
        Object[] read =
            codec.readArguments(
                new ByteArrayInputStream(payload.json().getBytes(StandardCharsets.UTF_8)));

        Object value = ((Envelope) read[0]).payload();
        assertThat(value).as(payload.json()).isInstanceOfAny(Map.class, ArrayList.class);
        assertThat(String.valueOf(value)).contains(gadget);
      }
    }
  }

  private static void assertRefused(MethodCodec codec, byte[] payload, String why) {
    RpcException e =
        catchThrowableOfType(
            RpcException.class, () -> codec.readArguments(new ByteArrayInputStream(payload)));

    assertThat(e).as(new String(payload, StandardCharsets.ISO_8859_1)).isNotNull();
    assertThat(e.code()).isEqualTo(Status.Code.SERIALIZATION);
    assertThat(e.status().description()).contains(why);
  }

  private static ByteArrayOutputStream sink() {
    return new ByteArrayOutputStream();
  }
}
