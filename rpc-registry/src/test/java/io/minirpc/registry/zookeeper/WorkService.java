package io.minirpc.registry.zookeeper;

import io.minirpc.Idempotent;
import io.minirpc.RpcService;

/**
 * A service whose calls take as long as the caller asks and answer with the name of the provider
 * that ran them, with an idempotent and a non-idempotent method: slow calls are the ones a test
 * catches in flight when it kills their provider.
 */
@RpcService(name = "test.Work", version = "1")
public interface WorkService {

  /** Works {@code millis} ms, then returns the provider's name; safe to run again. */
  @Idempotent
  String read(String id, int millis);

  /** Works {@code millis} ms, then returns the provider's name; not safe to run twice. */
  String write(String id, int millis);
}
