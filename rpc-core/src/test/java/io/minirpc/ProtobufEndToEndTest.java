package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.minirpc.client.RpcClient;
import io.minirpc.serialize.ProtobufSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A service whose types are protobuf messages, called with the Protocol Buffers serializer. */
class ProtobufEndToEndTest {

  @RpcService(name = "test.Proto")
  interface ProtoService {
    StringValue echo(StringValue text);

    Struct nest(Struct struct);

    CompletableFuture<Timestamp> time(Empty empty);

    @OneWay
    void fire(StringValue event);
  }

  static final class ProtoServiceImpl implements ProtoService {
    final Queue<String> events = new ConcurrentLinkedQueue<>();

    @Override
    public StringValue echo(StringValue text) {
      return text;
    }

    @Override
    public Struct nest(Struct struct) {
      return struct.toBuilder()
          .putFields("seen", Value.newBuilder().setBoolValue(true).build())
          .build();
    }

    @Override
    public CompletableFuture<Timestamp> time(Empty empty) {
      return CompletableFuture.completedFuture(
          Timestamp.newBuilder().setSeconds(1_700_000_000).build());
    }

    @Override
    public void fire(StringValue event) {
      events.add(event.getValue());
    }
  }

  @Test
  void messagesTravelSyncAsyncOneWayAndNull() throws Exception {
    ProtoServiceImpl impl = new ProtoServiceImpl();
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").addService(impl).build().start();
        RpcClient client =
            RpcClient.builder()
                .addresses("127.0.0.1:" + server.port())
                .serializer(ProtobufSerializer.create())
                .build()) {
      ProtoService proto = client.stub(ProtoService.class);
      assertThat(proto.echo(StringValue.of("héllo")).getValue()).isEqualTo("héllo");
      assertThat(proto.echo(null)).isNull();
      Struct struct =
          Struct.newBuilder()
              .putFields("n", Value.newBuilder().setNumberValue(1.5).build())
              .build();
      assertThat(proto.nest(struct).getFieldsMap()).containsKeys("n", "seen");
      assertThat(proto.time(Empty.getDefaultInstance()).get(5, TimeUnit.SECONDS).getSeconds())
          .isEqualTo(1_700_000_000);
      proto.fire(StringValue.of("fired"));
      Await.until(
          Duration.ofSeconds(5), "the one-way message", () -> impl.events.contains("fired"));
    }
  }

  @Test
  void serverWithOnlyProtobufRefusesAServiceOfOtherTypes() {
    assertThatThrownBy(
            () ->
                RpcServer.builder()
                    .serializers(ProtobufSerializer.create())
                    .addService(new io.minirpc.testing.CallsServiceImpl())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "no serializer of this server can carry service test.Calls:1 (protobuf: ")
        .hasMessageContaining("com.google.protobuf.Message");
  }
}
