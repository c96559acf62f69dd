package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.client.RpcClient;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.serialize.KryoSerializer;
import io.minirpc.serialize.ProtobufSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.RawConnection;
import io.minirpc.testing.RawFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The health service every server serves, over the minirpc protocol through a real stub: a status
 * per exported service and for the whole server, changed at run time, NOT_FOUND for what is not
 * exported, with each serializer that can carry it.
 */
class HealthServiceTest {

  /** A second service, so that one can be set apart from the other. */
  @RpcService(name = "test.Other")
  interface OtherService {
    String ping();
  }

  static final class OtherServiceImpl implements OtherService {
    @Override
    public String ping() {
      return "pong";
    }
  }

  private static final String CALLS = "test.Calls:1";

  private final List<RpcClient> clients = new ArrayList<>();
  private final List<ServerCallContext> seen = new CopyOnWriteArrayList<>();
  private final List<Status> outcomes = new CopyOnWriteArrayList<>();
  private RpcServer server;

  @BeforeEach
  void start() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .addService(new CallsServiceImpl())
            .addService(new OtherServiceImpl())
            .intercept(
                (call, next) -> {
                  seen.add(call);
                  return next.proceed(call)
                      .whenComplete(
                          (result, failure) -> outcomes.add(Status.fromThrowable(failure)));
                })
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    clients.forEach(RpcClient::close);
    server.close();
  }

  private Health health() {
    return health(KryoSerializer.create());
  }

  private Health health(Serializer serializer) {
    RpcClient client =
        RpcClient.builder().addresses("127.0.0.1:" + server.port()).serializer(serializer).build();
    clients.add(client);
    return client.stub(Health.class);
  }

  @Test
  void theServerAndEveryExportedServiceStartServing() {
    Health health = health();

    assertThat(health.check(Health.SERVER)).isEqualTo(ServingStatus.SERVING);
    assertThat(health.check(CALLS)).isEqualTo(ServingStatus.SERVING);
    assertThat(health.check("test.Other")).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void aServiceIsCheckedByTheKeyItsServiceNameGives() {
    Health health = health();

    assertThat(ServiceName.of(CallsService.class).key()).isEqualTo(CALLS);
    assertThat(health.check(ServiceName.of(CallsService.class).key()))
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void setStatusChangesTheAnswerOfThatServiceOnly() {
    Health health = health();

    server.health().setStatus(CallsService.class, ServingStatus.NOT_SERVING);

    assertThat(health.check(CALLS)).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(health.check("test.Other")).isEqualTo(ServingStatus.SERVING);
    // As in gRPC, the whole server's status is set on its own.
    assertThat(health.check(Health.SERVER)).isEqualTo(ServingStatus.SERVING);

    server.health().setStatus(CALLS, ServingStatus.SERVING);
    assertThat(health.check(CALLS)).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void setStatusOfTheWholeServerLeavesTheServicesAlone() {
    Health health = health();

    server.health().setStatus(Health.SERVER, ServingStatus.NOT_SERVING);

    assertThat(health.check(Health.SERVER)).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(health.check(CALLS)).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void unknownServiceFailsWithNotFound() {
    Health health = health();

    RpcException e = catchThrowableOfType(RpcException.class, () -> health.check("test.Nope"));

    assertThat(e.status())
        .isEqualTo(
            Status.NOT_FOUND.withDescription(
                "no service 'test.Nope' on this server to check the health of"));
  }

  @Test
  void serviceNamedWithoutItsVersionFailsWithNotFound() {
    Health health = health();

    assertThat(catchThrowableOfType(RpcException.class, () -> health.check("test.Calls")).code())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void theHealthServiceItselfIsNotAmongTheServicesChecked() {
    Health health = health();

    assertThat(catchThrowableOfType(RpcException.class, () -> health.check(Health.SERVICE)).code())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void nullServiceFailsWithNotFound() {
    assertThatThrownBy(() -> server.health().check(null))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("no service 'null' on this server to check the health of");
  }

  @Test
  void checkWorksWithTheJsonSerializer() {
    Health health = health(JsonSerializer.create());

    assertThat(health.check(CALLS)).isEqualTo(ServingStatus.SERVING);
    server.health().setStatus(CALLS, ServingStatus.NOT_SERVING);
    assertThat(health.check(CALLS)).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(catchThrowableOfType(RpcException.class, () -> health.check("test.Nope")).code())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void protobufCannotCarryItAndIsRefusedAsForAnyOtherService() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(RawFrames.request(9, 0, 2, Health.SERVICE, "check", new byte[0]));
      Status status = RawFrames.status(raw.readFrame());

      assertThat(status.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
      assertThat(status.description())
          .startsWith("service 'minirpc.Health' cannot be called with the protobuf serializer: ");
    }
  }

  @Test
  void interceptorsSeeHealthChecksAndTheirOutcomes() {
    Health health = health();

    health.check(CALLS);
    catchThrowableOfType(RpcException.class, () -> health.check("test.Nope"));

    assertThat(seen).extracting(ServerCallContext::service).containsOnly(Health.SERVICE);
    assertThat(seen).extracting(ServerCallContext::method).containsOnly("check");
    assertThat(outcomes)
        .extracting(Status::code)
        .containsExactly(Status.Code.OK, Status.Code.NOT_FOUND);
  }

  @Test
  void setStatusOfAServiceTheServerDoesNotExportFails() {
    assertThatThrownBy(() -> server.health().setStatus("test.Nope", ServingStatus.SERVING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "this server exports no service 'test.Nope'; it exports [test.Calls:1, test.Other]");
  }

  @Test
  void setStatusOfAnInterfaceThatIsNoServiceFails() {
    assertThatThrownBy(() -> server.health().setStatus(Runnable.class, ServingStatus.SERVING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("java.lang.Runnable is not annotated with @RpcService");
  }

  @Test
  void setStatusRefusesNulls() {
    assertThatThrownBy(() -> server.health().setStatus(CALLS, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("status");
    assertThatThrownBy(() -> server.health().setStatus((String) null, ServingStatus.SERVING))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("serviceKey");
  }

  @Test
  void setStatusAfterCloseIsIgnored() {
    server.close();

    server.health().setStatus(CALLS, ServingStatus.SERVING);
    server.health().setStatus(Health.SERVER, ServingStatus.SERVING);

    assertThat(server.health().check(CALLS)).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(server.health().check(Health.SERVER)).isEqualTo(ServingStatus.NOT_SERVING);
  }

  /** A service of the same name as the server's own would answer for it, and pass as it does. */
  @RpcService(name = Health.SERVICE, version = "2")
  interface Impostor {
    ServingStatus check(String service);
  }

  @Test
  void aServiceNamedAsTheHealthServiceIsRefused() {
    Impostor impostor = service -> ServingStatus.SERVING;

    assertThatThrownBy(() -> RpcServer.builder().addService(Impostor.class, impostor))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            Impostor.class.getName()
                + " is named minirpc.Health, the name of the health service every server serves"
                + " by itself");
  }

  @Test
  void theHealthServiceIsNotAnnouncedInTheRegistry() {
    List<ServiceName> registered = new CopyOnWriteArrayList<>();
    try (RpcServer announced =
        RpcServer.builder()
            .host("127.0.0.1")
            .registry(new RecordingRegistry(registered::add))
            .addService(new CallsServiceImpl())
            .build()
            .start()) {
      assertThat(registered).containsExactly(ServiceName.of(CallsService.class));
    }
  }

  @Test
  void aServerOfOnlyOneSerializerServesHealthWithIt() {
    try (RpcServer kryoOnly =
        RpcServer.builder()
            .host("127.0.0.1")
            .serializers(KryoSerializer.create())
            .addService(new CallsServiceImpl())
            .build()
            .start()) {
      RpcClient client = RpcClient.builder().addresses("127.0.0.1:" + kryoOnly.port()).build();
      clients.add(client);

      assertThat(client.stub(Health.class).check(CALLS)).isEqualTo(ServingStatus.SERVING);
    }
  }

  @Test
  void aServerOfProtobufOnlyStartsAndRefusesHealthChecksAsForAnyServiceItCannotCarry()
      throws Exception {
    try (RpcServer protobufOnly =
        RpcServer.builder()
            .host("127.0.0.1")
            .serializers(ProtobufSerializer.create())
            .addService(new ProtobufEndToEndTest.ProtoServiceImpl())
            .build()
            .start()) {
      try (RawConnection raw = new RawConnection(protobufOnly.port())) {
        raw.write(RawFrames.request(3, 0, 2, Health.SERVICE, "check", new byte[0]));
        Status status = RawFrames.status(raw.readFrame());

        assertThat(status.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(status.description())
            .startsWith("service 'minirpc.Health' cannot be called with the protobuf serializer: ");
      }
      assertThat(protobufOnly.health().check("test.Proto")).isEqualTo(ServingStatus.SERVING);
    }
  }

  /** Records what is registered; discovers nothing. */
  private record RecordingRegistry(Consumer<ServiceName> registered) implements Registry {
    @Override
    public void register(ServiceName service, Provider provider) {
      registered.accept(service);
    }

    @Override
    public void unregister(ServiceName service, Provider provider) {}

    @Override
    public Subscription subscribe(ServiceName service, Consumer<List<Provider>> listener) {
      throw new UnsupportedOperationException("discovers nothing");
    }

    @Override
    public void close() {}
  }
}
