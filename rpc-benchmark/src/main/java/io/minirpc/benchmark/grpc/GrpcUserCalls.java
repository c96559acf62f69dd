package io.minirpc.benchmark.grpc;

import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.minirpc.benchmark.UserCalls;
import io.minirpc.benchmark.protobuf.UserMessages;
import io.minirpc.benchmark.protobuf.UserProtos;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.GetUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ListUserRequest;
import io.minirpc.benchmark.protobuf.UserServiceGrpc;
import io.minirpc.benchmark.protobuf.UserServiceGrpc.UserServiceBlockingStub;
import io.minirpc.example.user.UserServiceImpl;
import java.util.concurrent.TimeUnit;

/**
 * Calls the gRPC service through a blocking stub over one channel (one HTTP/2 connection) shared by
 * all callers, as the reference benchmark does. Calls carry no deadline, as there.
 */
public final class GrpcUserCalls implements UserCalls {

  private final ManagedChannel channel;
  private final UserServiceBlockingStub users;

  private GrpcUserCalls(ManagedChannel channel) {
    this.channel = channel;
    this.users = UserServiceGrpc.newBlockingStub(channel);
  }

  /** A channel to the server; {@code direct} sets {@code directExecutor()} on it. */
  public static GrpcUserCalls connect(String host, int port, boolean direct) {
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(host, port, InsecureChannelCredentials.create());
    if (direct) {
      builder.directExecutor();
    }
    return new GrpcUserCalls(builder.build());
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
    channel.shutdownNow();
    try {
      channel.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
