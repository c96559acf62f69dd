package io.minirpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.OneWay;
import io.minirpc.RpcService;
import io.minirpc.serialize.ProtobufSerializer;
import io.minirpc.testing.CallsService;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@code stub()} refuses, and what a stub answers without calling anyone. */
class StubTest {

  // Port 9 (discard) on loopback: nothing here connects, since nothing here makes a remote call.
  private final RpcClient client = RpcClient.builder().addresses("127.0.0.1:9").build();

  @AfterEach
  void close() {
    client.close();
  }

  interface NotAnnotated {
    String x();
  }

  @RpcService
  interface Overloaded {
    String find(long id);

    String find(String name);
  }

  @RpcService
  interface OneWayWithResult {
    @OneWay
    String fire(String event);
  }

  @RpcService
  interface Generic {
    <T> T echo(T value);
  }

  @RpcService
  interface RawFuture {
    @SuppressWarnings("rawtypes")
    java.util.concurrent.CompletableFuture find(long id);
  }

  @Test
  void classIsRefused() {
    assertThatThrownBy(() -> client.stub(String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "java.lang.String is not an interface; stubs and services are made from interfaces");
  }

  @Test
  void interfaceWithoutAnnotationIsRefused() {
    assertThatThrownBy(() -> client.stub(NotAnnotated.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(NotAnnotated.class.getName() + " is not annotated with @RpcService");
  }

  @Test
  void overloadedMethodsAreRefused() {
    assertThatThrownBy(() -> client.stub(Overloaded.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "overloaded methods are not supported, because a call names its method by name"
                + " alone; rename one of find(String), find(long), for method Overloaded.find");
  }

  @Test
  void oneWayMethodWithResultIsRefused() {
    assertThatThrownBy(() -> client.stub(OneWayWithResult.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "@OneWay methods must return void, not java.lang.String, for method"
                + " OneWayWithResult.fire");
  }

  @Test
  void genericMethodIsRefused() {
    assertThatThrownBy(() -> client.stub(Generic.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "generic methods are not supported: the wire carries no type arguments, for method"
                + " Generic.echo");
  }

  @Test
  void futureWithoutValueTypeIsRefused() {
    assertThatThrownBy(() -> client.stub(RawFuture.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a CompletableFuture result must declare its value type, for method RawFuture.find");
  }

  @Test
  void typesTheSerializerCannotCarryAreRefused() {
    try (RpcClient protobuf =
        RpcClient.builder()
            .addresses("127.0.0.1:9")
            .serializer(ProtobufSerializer.create())
            .build()) {
      assertThatThrownBy(() -> protobuf.stub(CallsService.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("CallsService.")
          .hasMessageContaining("com.google.protobuf.Message");
    }
  }

  @Test
  void objectMethodsAreAnsweredLocally() {
    CallsService a = client.stub(CallsService.class);
    CallsService b = client.stub(CallsService.class);
    assertThat(a).isEqualTo(a).isNotEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(a.hashCode());
    assertThat(a.toString())
        .startsWith("CallsService stub (test.Calls:1 via StaticRegistry[127.0.0.1:9], kryo)");
    assertThat(List.of(a)).contains(a);
  }
}
