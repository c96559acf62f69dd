package io.minirpc;

/**
 * Adds attachments to every call a client sends, such as a credential (see {@code HmacCredentials}
 * in rpc-core) or a trace id: the caller's counterpart of {@link ServerInterceptor}.
 *
 * <pre>{@code
 * RpcClient client = RpcClient.builder()
 *     .addresses("127.0.0.1:7070")
 *     .intercept((service, method, attachments) -> attachments.with("tenant", "acme"))
 *     .build();
 * }</pre>
 *
 * <p>Called once per attempt, on the calling thread, just before the request is encoded: a retry on
 * another provider asks again, so a signature can be fresh each time. Interceptors run in the order
 * they were registered, each given what the previous one returned.
 */
@FunctionalInterface
public interface ClientInterceptor {

  /**
   * The attachments to send with this call.
   *
   * @param service the service key, its name plus {@code :version} when it has one
   * @param method the method's name
   * @param attachments what the call carries so far; {@link Attachments#EMPTY} for the first
   * @return those attachments, with or without additions; never {@code null}
   * @throws RpcException to fail the call without sending it
   */
  Attachments interceptCall(String service, String method, Attachments attachments);
}
