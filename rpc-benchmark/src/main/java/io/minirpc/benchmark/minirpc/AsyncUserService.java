package io.minirpc.benchmark.minirpc;

import io.minirpc.RpcService;
import io.minirpc.example.user.Page;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserService;
import java.util.concurrent.CompletableFuture;

/**
 * The caller's asynchronous view of the example's {@link UserService}: the same service name, the
 * same methods and parameters, each result as a {@code CompletableFuture}. A server that exports
 * the blocking interface answers it; {@code BackendRoundTripTest} checks that it does.
 */
@RpcService(name = "example.UserService")
public interface AsyncUserService {

  CompletableFuture<Boolean> existUser(String email);

  CompletableFuture<Boolean> createUser(User user);

  CompletableFuture<User> getUser(long id);

  CompletableFuture<Page<User>> listUser(int pageNo);
}
