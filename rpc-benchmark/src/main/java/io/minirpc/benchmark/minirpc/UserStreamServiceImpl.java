package io.minirpc.benchmark.minirpc;

import io.minirpc.benchmark.UsersOnDemand;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserService;
import io.minirpc.example.user.UserServiceImpl;
import java.util.concurrent.Flow;

/** Streams the example's users, each made as {@link UserServiceImpl#getUser} makes it. */
public final class UserStreamServiceImpl implements UserStreamService {

  private final UserService users = new UserServiceImpl();

  @Override
  public Flow.Publisher<User> streamUsers(int count) {
    return new UsersOnDemand<>(count, users::getUser);
  }
}
