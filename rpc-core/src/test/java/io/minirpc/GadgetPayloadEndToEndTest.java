package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.client.RpcClient;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Gadgets;
import io.minirpc.testing.Gadgets.JsonPayload;
import io.minirpc.testing.RawConnection;
import io.minirpc.testing.RawFrames;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gadget payloads of {@code GadgetPayloadTest}, sent to a live server: each is answered
 * SERIALIZATION, the service never runs, no gadget class is loaded, and a well-behaved client is
 * served before and after.
 */
class GadgetPayloadEndToEndTest {

  private final Gadgets.InboxImpl inbox = new Gadgets.InboxImpl();
  private RpcServer server;

  @BeforeEach
  void start() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .serializers(Gadgets.kryo(), JsonSerializer.create())
            .addService(inbox)
            .build()
            .start();
    assertWellBehavedCallsServed();
  }

  @AfterEach
  void stop() {
    assertWellBehavedCallsServed();
    server.close();
    assertThat(Gadgets.SENTINEL_INITIALIZED).hasValue(0);
    assertThat(Gadgets.SENTINEL_CREATED).hasValue(0);
  }

  private void assertWellBehavedCallsServed() {
    int before = inbox.calls.get();
    try (RpcClient client =
        RpcClient.builder()
            .addresses("127.0.0.1:" + server.port())
            .serializer(Gadgets.kryo())
            .build()) {
      assertThat(client.stub(Gadgets.Inbox.class).area(new Gadgets.Circle(1))).isEqualTo(Math.PI);
    }
    inbox.calls.set(before);
  }

  @Test
  void kryoPayloadsNamingAGadgetAreAnsweredSerializationAndRunNothing() throws Exception {
    long id = 1;
    try (RawConnection raw = new RawConnection(server.port())) {
      for (String gadget : Gadgets.CLASS_NAMES) {
        raw.write(
            RawFrames.request(
                id++, 0, 1, "test.Inbox", "open", Gadgets.kryoEnvelopeNaming(gadget)));
        assertSerialization(
            raw.readFrame(),
            "could not decode the arguments of Inbox.open: could not read the arguments of"
                + " Inbox.open: the payload names a class by name, which is never accepted");
        raw.write(
            RawFrames.request(id++, 0, 1, "test.Inbox", "area", Gadgets.kryoShapeNaming(gadget)));
        assertSerialization(
            raw.readFrame(),
            "could not decode the arguments of Inbox.area: could not read the arguments of"
                + " Inbox.area: the payload names a class by name, which is never accepted");
      }
    }
    assertThat(inbox.calls).hasValue(0);
  }

  @Test
  void jsonPayloadsNamingAGadgetWhereNoneFitsAreAnsweredSerializationAndRunNothing()
      throws Exception {
    long id = 1;
    try (RawConnection raw = new RawConnection(server.port())) {
      for (String gadget : Gadgets.CLASS_NAMES) {
        for (JsonPayload payload : Gadgets.jsonPayloads(gadget)) {
          if (!payload.refused()) {
            continue;
          }
          raw.write(
              RawFrames.request(
                  id++,
                  0,
                  3,
                  "test.Inbox",
                  payload.method(),
                  payload.json().getBytes(StandardCharsets.UTF_8)));
          assertSerialization(raw.readFrame(), "could not decode the arguments of Inbox.");
        }
      }
    }
    assertThat(inbox.calls).hasValue(0);
  }

  private static void assertSerialization(byte[] answer, String descriptionStart) {
    Status status = RawFrames.status(answer);
    assertThat(status.code()).isEqualTo(Status.Code.SERIALIZATION);
    assertThat(status.description()).startsWith(descriptionStart);
  }
}
