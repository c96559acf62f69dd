package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.client.RpcClient;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.serialize.KryoSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.Person;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of call, through a real server on a loopback port, with each general serializer. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private RpcServer server;
  private RpcClient kryoClient;
  private RpcClient jsonClient;

  @BeforeAll
  void start() {
    server = RpcServer.builder().host("127.0.0.1").port(0).addService(impl).build().start();
    String address = "127.0.0.1:" + server.port();
    kryoClient = RpcClient.builder().addresses(address).serializer(KryoSerializer.create()).build();
    jsonClient = RpcClient.builder().addresses(address).serializer(JsonSerializer.create()).build();
  }

  @AfterAll
  void stop() {
    kryoClient.close();
    jsonClient.close();
    server.close();
  }

  Stream<CallsService> stubs() {
    return Stream.of(kryoClient.stub(CallsService.class), jsonClient.stub(CallsService.class));
  }

  @ParameterizedTest
  @MethodSource("stubs")
  void syncCallsReturnTheirResults(CallsService calls) {
    assertThat(calls.echo("hello")).isEqualTo("hello");
    assertThat(calls.add(40, 2)).isEqualTo(42);
  }

  @ParameterizedTest
  @MethodSource("stubs")
  void nullArgumentsAndResultsTravel(CallsService calls) {
    assertThat(calls.echo(null)).isNull();
    assertThat(calls.person(null)).isNull();
  }

  @ParameterizedTest
  @MethodSource("stubs")
  void nestedObjectsCollectionsAndTimeTypesTravel(CallsService calls) {
    Person person = Person.sample(7);
    assertThat(calls.person(person)).isEqualTo(person);
    assertThat(calls.people(3))
        .containsExactly(Person.sample(0), Person.sample(1), Person.sample(2));
    assertThat(calls.count(List.of("a", "b", "a"))).isEqualTo(Map.of("a", 2, "b", 1));
    LocalDateTime time = LocalDateTime.of(2026, 11, 23, 8, 30, 15, 123_000_000);
    assertThat(calls.plusDays(time, 10)).isEqualTo(time.plusDays(10));
  }

  @ParameterizedTest
  @MethodSource("stubs")
  void voidCallsWaitForTheServer(CallsService calls) {
    String event = "void-" + System.nanoTime();
    calls.record(event);
    assertThat(impl.events()).contains(event);
  }

  @ParameterizedTest
  @MethodSource("stubs")
  void oneWayCallsReturnAtOnceAndStillRun(CallsService calls) {
    String event = "one-way-" + System.nanoTime();
    calls.fire(event);
    Await.until(Duration.ofSeconds(5), "the one-way event", () -> impl.events().contains(event));
  }

  @ParameterizedTest
  @MethodSource("stubs")
  void asyncCallsCompleteLater(CallsService calls) throws Exception {
    assertThat(calls.echoAsync("later").get(5, TimeUnit.SECONDS)).isEqualTo("later");
    String event = "async-" + System.nanoTime();
    assertThat(calls.recordAsync(event).get(5, TimeUnit.SECONDS)).isNull();
    assertThat(impl.events()).contains(event);
  }

  @ParameterizedTest
  @MethodSource("stubs")
  void severalMebibyteArgumentsAndResultsTravel(CallsService calls) {
    byte[] data = new byte[3 * 1024 * 1024];
    new Random(42).nextBytes(data);
    byte[] reversed = calls.reverse(data);
    assertThat(reversed).hasSize(data.length);
    assertThat(reversed[0]).isEqualTo(data[data.length - 1]);
    assertThat(reversed[data.length - 1]).isEqualTo(data[0]);
    assertThat(calls.sized(5 * 1024 * 1024)).hasSize(5 * 1024 * 1024);
  }

  @ParameterizedTest
  @MethodSource("stubs")
  void defaultMethodsRunLocally(CallsService calls) {
    assertThat(calls.greeting()).startsWith("hello from $Proxy");
  }
}
