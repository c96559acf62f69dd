package io.minirpc.benchmark.minirpc;

import io.minirpc.RpcService;
import io.minirpc.example.user.User;
import java.util.concurrent.Flow;

/** The streaming workload with the example's User beans, as the Kryo backend carries it. */
@RpcService(name = "minirpc.benchmark.UserStreamService")
public interface UserStreamService {

  /** Users 1 to {@code count}, each as getUser would answer it. */
  Flow.Publisher<User> streamUsers(int count);
}
