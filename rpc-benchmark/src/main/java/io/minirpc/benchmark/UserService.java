package io.minirpc.benchmark;

import io.minirpc.RpcService;

/** The service of the common Java RPC benchmark (hank-whu/rpc-benchmark, dubbo-benchmark). */
@RpcService(name = "benchmark.UserService")
public interface UserService {

  boolean existUser(String email);

  boolean createUser(User user);

  User getUser(long id);

  Page<User> listUser(int pageNo);
}
