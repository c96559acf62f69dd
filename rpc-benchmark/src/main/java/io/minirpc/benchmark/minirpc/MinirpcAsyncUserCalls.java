package io.minirpc.benchmark.minirpc;

import io.minirpc.Serializer;
import io.minirpc.benchmark.AsyncUserCalls;
import io.minirpc.client.RpcClient;
import io.minirpc.example.user.UserServiceImpl;
import java.util.function.BiConsumer;

/** Calls the example's UserService through a minirpc stub of {@link AsyncUserService}. */
public final class MinirpcAsyncUserCalls implements AsyncUserCalls {

  private final RpcClient client;
  private final AsyncUserService users;

  private MinirpcAsyncUserCalls(RpcClient client) {
    this.client = client;
    this.users = client.stub(AsyncUserService.class);
  }

  /** A client of one multiplexed connection, as {@link MinirpcUserCalls#connect} makes. */
  public static MinirpcAsyncUserCalls connect(String host, int port, Serializer serializer) {
    return new MinirpcAsyncUserCalls(MinirpcUserCalls.client(host, port, serializer));
  }

  @Override
  public void existUser(String email, BiConsumer<Object, Throwable> done) {
    users.existUser(email).whenComplete(done);
  }

  @Override
  public void createUser(long id, BiConsumer<Object, Throwable> done) {
    users.createUser(UserServiceImpl.user(id)).whenComplete(done);
  }

  @Override
  public void getUser(long id, BiConsumer<Object, Throwable> done) {
    users.getUser(id).whenComplete(done);
  }

  @Override
  public void listUser(int pageNo, BiConsumer<Object, Throwable> done) {
    users.listUser(pageNo).whenComplete(done);
  }

  @Override
  public void close() {
    client.close();
  }
}
