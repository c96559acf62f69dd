package io.minirpc.example.user;

import io.minirpc.RpcService;

/** The service of the common Java RPC benchmark (hank-whu/rpc-benchmark, dubbo-benchmark). */
@RpcService(name = "example.UserService")
public interface UserService {

  boolean existUser(String email);

  boolean createUser(User user);

  User getUser(long id);

  Page<User> listUser(int pageNo);
}
