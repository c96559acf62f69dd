package io.minirpc.benchmark.protobuf;

import io.minirpc.RpcService;
import io.minirpc.benchmark.protobuf.UserProtos.CreateUserResponse;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserResponse;
import io.minirpc.benchmark.protobuf.UserProtos.GetUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ListUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.UserPage;

/**
 * The workload's UserService with protobuf messages for parameters and results, the shape minirpc's
 * {@link io.minirpc.serialize.ProtobufSerializer} carries; the same messages as the gRPC service of
 * {@code user_service.proto}.
 */
@RpcService(name = "minirpc.benchmark.UserService")
public interface ProtobufUserService {

  ExistUserResponse existUser(ExistUserRequest request);

  CreateUserResponse createUser(UserProtos.User user);

  UserProtos.User getUser(GetUserRequest request);

  UserPage listUser(ListUserRequest request);
}
