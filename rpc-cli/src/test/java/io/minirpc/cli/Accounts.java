package io.minirpc.cli;

import io.minirpc.RpcService;

/** The service the command-line client is tested against. */
@RpcService(name = "test.Accounts")
public interface Accounts {

  Account account(long id);

  int add(int a, int b);

  /** Answers once the test releases it, or after this many milliseconds. */
  String slow(long millis);

  void record(String event);
}
