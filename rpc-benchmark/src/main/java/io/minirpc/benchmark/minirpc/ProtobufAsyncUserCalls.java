package io.minirpc.benchmark.minirpc;

import io.minirpc.benchmark.AsyncUserCalls;
import io.minirpc.benchmark.protobuf.AsyncProtobufUserService;
import io.minirpc.benchmark.protobuf.UserMessages;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.GetUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ListUserRequest;
import io.minirpc.client.RpcClient;
import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.serialize.ProtobufSerializer;
import java.util.function.BiConsumer;

/**
 * Calls {@link io.minirpc.benchmark.protobuf.ProtobufUserService} through a minirpc stub of {@link
 * AsyncProtobufUserService}, with requests built as {@link ProtobufUserCalls} builds them.
 */
public final class ProtobufAsyncUserCalls implements AsyncUserCalls {

  private final RpcClient client;
  private final AsyncProtobufUserService users;

  private ProtobufAsyncUserCalls(RpcClient client) {
    this.client = client;
    this.users = client.stub(AsyncProtobufUserService.class);
  }

  public static ProtobufAsyncUserCalls connect(String host, int port) {
    return new ProtobufAsyncUserCalls(
        MinirpcUserCalls.client(host, port, ProtobufSerializer.create()));
  }

  @Override
  public void existUser(String email, BiConsumer<Object, Throwable> done) {
    users.existUser(ExistUserRequest.newBuilder().setEmail(email).build()).whenComplete(done);
  }

  @Override
  public void createUser(long id, BiConsumer<Object, Throwable> done) {
    users.createUser(UserMessages.toMessage(UserServiceImpl.user(id))).whenComplete(done);
  }

  @Override
  public void getUser(long id, BiConsumer<Object, Throwable> done) {
    users.getUser(GetUserRequest.newBuilder().setId(id).build()).whenComplete(done);
  }

  @Override
  public void listUser(int pageNo, BiConsumer<Object, Throwable> done) {
    users.listUser(ListUserRequest.newBuilder().setPageNo(pageNo).build()).whenComplete(done);
  }

  @Override
  public void close() {
    client.close();
  }
}
