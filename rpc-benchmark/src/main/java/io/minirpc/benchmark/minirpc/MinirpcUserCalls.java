package io.minirpc.benchmark.minirpc;

import io.minirpc.Serializer;
import io.minirpc.benchmark.UserCalls;
import io.minirpc.client.RpcClient;
import io.minirpc.example.user.Page;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserService;
import io.minirpc.example.user.UserServiceImpl;
import java.time.Duration;

/** Calls the example's UserService through a minirpc stub, with one serializer. */
public final class MinirpcUserCalls implements UserCalls {

  private final RpcClient client;
  private final UserService users;

  private MinirpcUserCalls(RpcClient client) {
    this.client = client;
    this.users = client.stub(UserService.class);
  }

  /** A client of one multiplexed connection, shared by all callers, as minirpc's default. */
  public static MinirpcUserCalls connect(String host, int port, Serializer serializer) {
    return new MinirpcUserCalls(client(host, port, serializer));
  }

  /**
   * The client every minirpc caller of the benchmark uses: one multiplexed connection, and a
   * timeout no call of a trial reaches.
   */
  static RpcClient client(String host, int port, Serializer serializer) {
    return RpcClient.builder()
        .addresses(host + ":" + port)
        .serializer(serializer)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  @Override
  public boolean existUser(String email) {
    return users.existUser(email);
  }

  @Override
  public boolean createUser(long id) {
    return users.createUser(UserServiceImpl.user(id));
  }

  @Override
  public User getUser(long id) {
    return users.getUser(id);
  }

  @Override
  public Page<User> listUser(int pageNo) {
    return users.listUser(pageNo);
  }

  @Override
  public void close() {
    client.close();
  }
}
