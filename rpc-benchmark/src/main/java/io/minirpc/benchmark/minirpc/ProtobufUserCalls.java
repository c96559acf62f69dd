package io.minirpc.benchmark.minirpc;

import io.minirpc.benchmark.UserCalls;
import io.minirpc.benchmark.protobuf.ProtobufUserService;
import io.minirpc.benchmark.protobuf.UserMessages;
import io.minirpc.benchmark.protobuf.UserProtos;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.GetUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ListUserRequest;
import io.minirpc.client.RpcClient;
import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.serialize.ProtobufSerializer;

/**
 * Calls {@link ProtobufUserService} through a minirpc stub with the protobuf serializer. Requests
 * are built as the gRPC caller builds them, and results stay messages, as there.
 */
public final class ProtobufUserCalls implements UserCalls {

  private final RpcClient client;
  private final ProtobufUserService users;

  private ProtobufUserCalls(RpcClient client) {
    this.client = client;
    this.users = client.stub(ProtobufUserService.class);
  }

  public static ProtobufUserCalls connect(String host, int port) {
    return new ProtobufUserCalls(MinirpcUserCalls.client(host, port, ProtobufSerializer.create()));
  }

  @Override
  public boolean existUser(String email) {
    return users.existUser(ExistUserRequest.newBuilder().setEmail(email).build()).getExist();
  }

  @Override
  public boolean createUser(long id) {
    return users.createUser(UserMessages.toMessage(UserServiceImpl.user(id))).getSuccess();
  }

  @Override
  public UserProtos.User getUser(long id) {
    return users.getUser(GetUserRequest.newBuilder().setId(id).build());
  }

  @Override
  public UserProtos.UserPage listUser(int pageNo) {
    return users.listUser(ListUserRequest.newBuilder().setPageNo(pageNo).build());
  }

  @Override
  public void close() {
    client.close();
  }
}
