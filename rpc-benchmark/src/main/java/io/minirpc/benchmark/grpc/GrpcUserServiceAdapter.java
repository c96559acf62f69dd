package io.minirpc.benchmark.grpc;

import io.grpc.stub.StreamObserver;
import io.minirpc.benchmark.protobuf.ProtobufUserService;
import io.minirpc.benchmark.protobuf.ProtobufUserServiceAdapter;
import io.minirpc.benchmark.protobuf.UserProtos;
import io.minirpc.benchmark.protobuf.UserProtos.CreateUserResponse;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserResponse;
import io.minirpc.benchmark.protobuf.UserProtos.GetUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ListUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.UserPage;
import io.minirpc.benchmark.protobuf.UserServiceGrpc;

/**
 * The gRPC service of {@code user_service.proto}, answering with the same messages as minirpc's
 * protobuf backend: both delegate to {@link ProtobufUserServiceAdapter}.
 */
final class GrpcUserServiceAdapter extends UserServiceGrpc.UserServiceImplBase {

  private final ProtobufUserService users = new ProtobufUserServiceAdapter();

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
