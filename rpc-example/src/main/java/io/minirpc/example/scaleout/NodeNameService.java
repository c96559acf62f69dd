package io.minirpc.example.scaleout;

import io.minirpc.Idempotent;
import io.minirpc.RpcService;
import java.util.concurrent.CompletableFuture;

/**
 * The service of the scale-out test: each provider answers with its own name, so that the caller
 * can tell which provider served each call.
 */
@RpcService(name = "scaleout.NodeName", version = "1")
public interface NodeNameService {

  /**
   * The name of the provider that serves this call, {@code delayMillis} after it arrived.
   *
   * <p>Idempotent: it changes nothing, so a call lost with its provider may run again elsewhere.
   * The delay keeps calls in flight on every provider, as real work would, so that a provider that
   * dies takes some calls with it.
   *
   * @param call the caller's number for the call, for its own records
   */
  @Idempotent
  CompletableFuture<String> nodeName(long call, int delayMillis);
}
