package io.minirpc.benchmark.protobuf;

import io.minirpc.RpcService;
import io.minirpc.benchmark.protobuf.UserProtos.CreateUserResponse;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserResponse;
import io.minirpc.benchmark.protobuf.UserProtos.GetUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ListUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.UserPage;
import java.util.concurrent.CompletableFuture;

/**
 * The caller's asynchronous view of {@link ProtobufUserService}: the same service name and
 * messages, each result as a {@code CompletableFuture}; answered by a server that exports the
 * blocking interface.
 */
@RpcService(name = "minirpc.benchmark.UserService")
public interface AsyncProtobufUserService {

  CompletableFuture<ExistUserResponse> existUser(ExistUserRequest request);

  CompletableFuture<CreateUserResponse> createUser(UserProtos.User user);

  CompletableFuture<UserProtos.User> getUser(GetUserRequest request);

  CompletableFuture<UserPage> listUser(ListUserRequest request);
}
