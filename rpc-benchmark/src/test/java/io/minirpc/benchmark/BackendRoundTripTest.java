package io.minirpc.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.minirpc.benchmark.grpc.GrpcUserCalls;
import io.minirpc.benchmark.protobuf.UserMessages;
import io.minirpc.benchmark.protobuf.UserProtos;
import io.minirpc.example.user.Page;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserServiceImpl;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every backend's caller and server agree on every call of the workload (correctness, no timing).
 */
class BackendRoundTripTest {

  @ParameterizedTest
  @EnumSource(Backend.class)
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
