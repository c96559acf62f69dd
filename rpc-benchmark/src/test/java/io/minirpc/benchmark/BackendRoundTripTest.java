package io.minirpc.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.minirpc.benchmark.protobuf.UserMessages;
import io.minirpc.benchmark.protobuf.UserProtos;
import io.minirpc.example.user.Page;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserServiceImpl;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
