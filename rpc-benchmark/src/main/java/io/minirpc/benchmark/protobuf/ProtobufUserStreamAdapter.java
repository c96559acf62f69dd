package io.minirpc.benchmark.protobuf;

import io.minirpc.benchmark.UsersOnDemand;
import io.minirpc.benchmark.protobuf.UserProtos.StreamUsersRequest;
import io.minirpc.example.user.UserService;
import io.minirpc.example.user.UserServiceImpl;
import java.util.concurrent.Flow;

/**
 * Streams the example's users as messages, converting each bean as the gRPC adapter does, so that
 * both protobuf backends do the same work per item.
 */
public final class ProtobufUserStreamAdapter implements ProtobufUserStreamService {

  private final UserService users = new UserServiceImpl();

  @Override
  public Flow.Publisher<UserProtos.User> streamUsers(StreamUsersRequest request) {
    return new UsersOnDemand<>(request.getCount(), this::user);
  }

  /** One user of the stream, as both protobuf backends make it. */
  public UserProtos.User user(long id) {
    return UserMessages.toMessage(users.getUser(id));
  }
}
