package io.minirpc.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.minirpc.benchmark.ceiling.CeilingReply;
import io.minirpc.benchmark.grpc.GrpcUserCalls;
import io.minirpc.benchmark.protobuf.UserMessages;
import io.minirpc.benchmark.protobuf.UserProtos;
import io.minirpc.benchmark.wire.WireBytes;
import io.minirpc.benchmark.wire.WireBytesMeter;
import io.minirpc.example.user.Page;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserServiceImpl;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every backend's caller and server agree on every call of the workload (correctness, no timing).
 */
class BackendRoundTripTest {

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = "NETTY_CEILING", mode = EnumSource.Mode.EXCLUDE)
  void everyOperationRoundTripsWithTheWorkloadsData(Backend backend) {
    try (RunningServer server = backend.startServer();
        UserCalls calls = backend.connect("127.0.0.1", server.port())) {
      assertThat(calls.existUser("41")).isTrue();
      assertThat(calls.existUser("47")).isFalse();
      assertThat(calls.createUser(42)).isTrue();

      assertIsWorkloadUser(asUser(calls.getUser(42)), 42);

      Page<User> page = asPage(calls.listUser(3));
      assertThat(page.getPageNo()).isEqualTo(3);
      assertThat(page.getTotal()).isEqualTo(1000);
      assertThat(page.getResult()).hasSize(15);
      for (int i = 0; i < 15; i++) {
        assertIsWorkloadUser(page.getResult().get(i), 300 + i);
      }
    }
  }

  /**
   * The asynchronous callers against the servers the blocking ones use: for minirpc, an interface
   * of its own ({@code CompletableFuture} results) under the service name the server exports with
   * the blocking interface, the same serializer and registrations.
   */
  @ParameterizedTest
  @EnumSource(value = Backend.class, names = "NETTY_CEILING", mode = EnumSource.Mode.EXCLUDE)
  void everyOperationRoundTripsAsynchronously(Backend backend) throws Exception {
    if (!backend.supportsAsync()) {
      assertThatThrownBy(() -> backend.connectAsync("127.0.0.1", 1))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessage(backend.id() + " has no asynchronous caller");
      return;
    }
    try (RunningServer server = backend.startServer();
        AsyncUserCalls calls = backend.connectAsync("127.0.0.1", server.port())) {
      assertThat(asBoolean(answer(done -> calls.existUser("41", done)))).isTrue();
      assertThat(asBoolean(answer(done -> calls.existUser("47", done)))).isFalse();
      assertThat(asBoolean(answer(done -> calls.createUser(42, done)))).isTrue();

      assertIsWorkloadUser(asUser(answer(done -> calls.getUser(42, done))), 42);

      // Several in flight at once, answered out of order or not, each to its own call.
      List<CompletableFuture<Object>> pages = new ArrayList<>();
      for (int pageNo = 0; pageNo < 8; pageNo++) {
        int n = pageNo;
        pages.add(started(done -> calls.listUser(n, done)));
      }
      for (int pageNo = 0; pageNo < 8; pageNo++) {
        Page<User> page = asPage(pages.get(pageNo).get(10, TimeUnit.SECONDS));
        assertThat(page.getPageNo()).isEqualTo(pageNo);
        assertThat(page.getTotal()).isEqualTo(1000);
        assertThat(page.getResult()).hasSize(15);
        assertIsWorkloadUser(page.getResult().get(14), pageNo * 100L + 14);
      }
    }
  }

  /**
   * The ceiling decodes nothing: each call's answer is its operation's reply, of the size
   * minirpc-kryo's reply has on the wire (measured as the wire-bytes pass measures it).
   */
  @Test
  void theCeilingAnswersEveryOperationWithAReplyOfMinirpcKryosSize() throws Exception {
    Map<Operation, WireBytes> kryo =
        new WireBytesMeter(50, 200).measure(Backend.MINIRPC_KRYO, List.of(Operation.values()));
    Backend ceiling = Backend.NETTY_CEILING;
    try (RunningServer server = ceiling.startServer();
        UserCalls calls = ceiling.connect("127.0.0.1", server.port());
        AsyncUserCalls async = ceiling.connectAsync("127.0.0.1", server.port())) {
      assertThat(calls.existUser("41")).isTrue();
      assertThat(calls.createUser(42)).isTrue();
      assertIsReply(calls.getUser(42), Operation.GET_USER, kryo);
      assertIsReply(calls.listUser(3), Operation.LIST_USER, kryo);

      assertIsReply(answer(done -> async.existUser("41", done)), Operation.EXIST_USER, kryo);
      assertIsReply(answer(done -> async.createUser(42, done)), Operation.CREATE_USER, kryo);
      List<CompletableFuture<Object>> inFlight = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        inFlight.add(started(done -> async.getUser(n, done)));
        inFlight.add(started(done -> async.listUser(n, done)));
      }
      for (int i = 0; i < inFlight.size(); i++) {
        assertIsReply(
            inFlight.get(i).get(10, TimeUnit.SECONDS),
            i % 2 == 0 ? Operation.GET_USER : Operation.LIST_USER,
            kryo);
      }
    }
  }

  @Test
  void theCeilingPutsMinirpcKryosBytesOnTheWire() {
    List<Operation> ops = List.of(Operation.values());
    Map<Operation, WireBytes> kryo = new WireBytesMeter(50, 200).measure(Backend.MINIRPC_KRYO, ops);
    Map<Operation, WireBytes> ceiling =
        new WireBytesMeter(50, 200).measure(Backend.NETTY_CEILING, ops);
    for (Operation op : ops) {
      // Two measurements of Kryo differ by a few bytes: its dates' varints vary with the time.
      assertThat(ceiling.get(op).up())
          .as(op + " up")
          .isCloseTo(kryo.get(op).up(), withinPercentage(2));
      assertThat(ceiling.get(op).down())
          .as(op + " down")
          .isCloseTo(kryo.get(op).down(), withinPercentage(2));
    }
  }

  private static void assertIsReply(Object answer, Operation op, Map<Operation, WireBytes> kryo) {
    assertThat(answer).isInstanceOf(CeilingReply.class);
    CeilingReply reply = (CeilingReply) answer;
    assertThat(reply.operation()).isEqualTo(op);
    assertThat((double) reply.bytes()).isCloseTo(kryo.get(op).down(), withinPercentage(2));
  }

  private interface AsyncCall {
    void start(BiConsumer<Object, Throwable> done);
  }

  private static CompletableFuture<Object> started(AsyncCall call) {
    CompletableFuture<Object> answer = new CompletableFuture<>();
    call.start(
        (value, failure) -> {
          if (failure != null) {
            answer.completeExceptionally(failure);
          } else {
            answer.complete(value);
          }
        });
    return answer;
  }

  private static Object answer(AsyncCall call) throws Exception {
    return started(call).get(10, TimeUnit.SECONDS);
  }

  @Test
  void grpcCallersSpreadOverSeveralChannelsAllGetTheirAnswers() throws Exception {
    System.setProperty(GrpcUserCalls.CHANNELS_PROPERTY, "3");
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try (RunningServer server = Backend.GRPC_DIRECT.startServer();
        UserCalls calls = Backend.GRPC_DIRECT.connect("127.0.0.1", server.port())) {
      List<Future<Object>> users = new ArrayList<>();
      for (int id = 0; id < 6; id++) {
        long userId = id;
        users.add(callers.submit(() -> calls.getUser(userId)));
      }
      for (int id = 0; id < 6; id++) {
        assertIsWorkloadUser(asUser(users.get(id).get(10, TimeUnit.SECONDS)), id);
      }
    } finally {
      callers.shutdownNow();
      System.clearProperty(GrpcUserCalls.CHANNELS_PROPERTY);
    }
  }

  @Test
  void grpcRefusesFewerThanOneChannel() {
    System.setProperty(GrpcUserCalls.CHANNELS_PROPERTY, "0");
    try {
      assertThatThrownBy(() -> GrpcUserCalls.connect("127.0.0.1", 1, true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(GrpcUserCalls.CHANNELS_PROPERTY + " must be at least 1, not 0");
    } finally {
      System.clearProperty(GrpcUserCalls.CHANNELS_PROPERTY);
    }
  }

  private static void assertIsWorkloadUser(User actual, long id) {
    assertThat(actual)
        .usingRecursiveComparison()
        .ignoringFields("createTime", "updateTime")
        .isEqualTo(UserServiceImpl.user(id));
    // Protobuf carries whole seconds, the other backends the full time.
    assertThat(actual.getCreateTime())
        .isCloseTo(LocalDateTime.now(), within(1, ChronoUnit.MINUTES));
    assertThat(actual.getUpdateTime()).isEqualTo(actual.getCreateTime());
  }

  private static boolean asBoolean(Object result) {
    if (result instanceof UserProtos.ExistUserResponse message) {
      return message.getExist();
    }
    if (result instanceof UserProtos.CreateUserResponse message) {
      return message.getSuccess();
    }
    return (Boolean) result;
  }

  private static User asUser(Object result) {
    return result instanceof UserProtos.User message
        ? UserMessages.fromMessage(message)
        : (User) result;
  }

  @SuppressWarnings("unchecked")
  private static Page<User> asPage(Object result) {
    if (!(result instanceof UserProtos.UserPage message)) {
      return (Page<User>) result;
    }
    List<User> users = message.getResultList().stream().map(UserMessages::fromMessage).toList();
    Page<User> page = new Page<>();
    page.setPageNo(message.getPageNo());
    page.setTotal(message.getTotal());
    page.setResult(users);
    return page;
  }
}
