package io.minirpc.http;

import io.minirpc.MethodCodec;
import io.minirpc.internal.dispatch.ExportedMethod;

/**
 * One exported method as the bridge serves it, worked out once at start.
 *
 * @param method the server's own exported method: the same implementation and handle as over RPC
 * @param codec the JSON codec of its arguments and result, or {@code null} if JSON cannot carry the
 *     method's service
 * @param refusal why JSON cannot carry the service, when {@code codec} is {@code null}
 * @param timeoutMillis the deadline of a call that does not set one: the method's own {@code
 *     CallTimeout}, else the bridge's default
 */
record RestMethod(ExportedMethod method, MethodCodec codec, String refusal, long timeoutMillis) {}
