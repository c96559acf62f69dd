package io.minirpc.benchmark.protobuf;

import io.minirpc.benchmark.protobuf.UserProtos.CreateUserResponse;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserResponse;
import io.minirpc.benchmark.protobuf.UserProtos.GetUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ListUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.UserPage;
import io.minirpc.example.user.UserService;
import io.minirpc.example.user.UserServiceImpl;

/**
 * Serves {@link ProtobufUserService} from the example's {@link UserServiceImpl}, converting between
 * messages and beans on the server as the reference benchmark's gRPC server does, so that both
 * protobuf backends do the same work per call.
 */
public final class ProtobufUserServiceAdapter implements ProtobufUserService {

  private final UserService users = new UserServiceImpl();

  @Override
  public ExistUserResponse existUser(ExistUserRequest request) {
    return ExistUserResponse.newBuilder().setExist(users.existUser(request.getEmail())).build();
  }

  @Override
  public CreateUserResponse createUser(UserProtos.User user) {
    boolean success = users.createUser(UserMessages.fromMessage(user));
    return CreateUserResponse.newBuilder().setSuccess(success).build();
  }

  @Override
  public UserProtos.User getUser(GetUserRequest request) {
    return UserMessages.toMessage(users.getUser(request.getId()));
  }

  @Override
  public UserPage listUser(ListUserRequest request) {
    return UserMessages.toMessage(users.listUser(request.getPageNo()));
  }
}
