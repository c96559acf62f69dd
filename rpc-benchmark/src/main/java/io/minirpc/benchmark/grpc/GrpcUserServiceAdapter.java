package io.minirpc.benchmark.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.minirpc.benchmark.protobuf.ProtobufUserService;
import io.minirpc.benchmark.protobuf.ProtobufUserServiceAdapter;
import io.minirpc.benchmark.protobuf.ProtobufUserStreamAdapter;
import io.minirpc.benchmark.protobuf.UserProtos;
import io.minirpc.benchmark.protobuf.UserProtos.CreateUserResponse;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserResponse;
import io.minirpc.benchmark.protobuf.UserProtos.GetUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ListUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.StreamUsersRequest;
import io.minirpc.benchmark.protobuf.UserProtos.UserPage;
import io.minirpc.benchmark.protobuf.UserServiceGrpc;

/**
 * The gRPC service of {@code user_service.proto}, answering with the same messages as minirpc's
 * protobuf backend: both delegate to {@link ProtobufUserServiceAdapter}.
 */
final class GrpcUserServiceAdapter extends UserServiceGrpc.UserServiceImplBase {

  private final ProtobufUserService users = new ProtobufUserServiceAdapter();
  private final ProtobufUserStreamAdapter streamedUsers = new ProtobufUserStreamAdapter();

  /**
   * Users 1 to {@code count}, each made as the stream becomes ready for it: gRPC's own flow control
   * (its HTTP/2 window), as its manual flow control examples do, so that a slow caller slows this
   * loop rather than filling the server's memory.
   */
  @Override
  public void streamUsers(StreamUsersRequest request, StreamObserver<UserProtos.User> response) {
    ServerCallStreamObserver<UserProtos.User> stream =
        (ServerCallStreamObserver<UserProtos.User>) response;
    int count = request.getCount();
    long[] next = {1};
    boolean[] done = {false};
    stream.setOnCancelHandler(() -> done[0] = true);
    stream.setOnReadyHandler(
        () -> {
          // Runs serially on the call's executor; each readiness continues the same loop.
          while (stream.isReady() && !done[0] && next[0] <= count) {
            stream.onNext(streamedUsers.user(next[0]++));
          }
          if (!done[0] && next[0] > count) {
            done[0] = true;
            stream.onCompleted();
          }
        });
  }

  @Override
  public void existUser(ExistUserRequest request, StreamObserver<ExistUserResponse> response) {
    response.onNext(users.existUser(request));
    response.onCompleted();
  }

  @Override
  public void createUser(UserProtos.User request, StreamObserver<CreateUserResponse> response) {
    response.onNext(users.createUser(request));
    response.onCompleted();
  }

  @Override
  public void getUser(GetUserRequest request, StreamObserver<UserProtos.User> response) {
    response.onNext(users.getUser(request));
    response.onCompleted();
  }

  @Override
  public void listUser(ListUserRequest request, StreamObserver<UserPage> response) {
    response.onNext(users.listUser(request));
    response.onCompleted();
  }
}
