package io.minirpc.spring;

import io.minirpc.RpcService;

/** The tests' service. */
@RpcService(name = "spring.test.Echo")
public interface EchoService {

  /** Answers at once. */
  String echo(String text);

  /** Answers once the provider's gate opens. */
  String hold(String text);
}
