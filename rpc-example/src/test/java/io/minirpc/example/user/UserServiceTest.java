package io.minirpc.example.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.client.RpcClient;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.server.RpcServer;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's workload goes through minirpc intact, with each serializer it is measured with.
 */
class UserServiceTest {

  @Test
  void workloadRoundTripsWithKryoAndJson() {
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .addService(new UserServiceImpl())
                .build()
                .start();
        RpcClient kryo = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build();
        RpcClient json =
            RpcClient.builder()
                .addresses("127.0.0.1:" + server.port())
                .serializer(JsonSerializer.create())
                .build()) {
      for (RpcClient client : new RpcClient[] {kryo, json}) {
        UserService users = client.stub(UserService.class);
        User user = users.getUser(42);
        assertThat(user.getId()).isEqualTo(42);
        assertThat(user.getAddress()).isEqualTo("北京市 中关村 中关村大街1号 鼎好大厦 1605");
        assertThat(user.getPermissions()).hasSize(15);
        assertThat(users.createUser(user)).isTrue();
        assertThat(users.existUser("a@b.c4")).isTrue();
        Page<User> page = users.listUser(3);
        assertThat(page.getResult()).hasSize(15);
        assertThat(page.getResult().get(14).getId()).isEqualTo(314);
        assertThat(page.getResult().get(0).getCreateTime()).isNotNull();
      }
    }
  }
}
