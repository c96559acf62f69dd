package io.minirpc.http;

import io.minirpc.RpcException;
import io.minirpc.ServerCallContext;
import io.minirpc.Status;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import io.minirpc.internal.dispatch.ServerInterceptors;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Answers {@code GET /health} (the whole server) and {@code GET /health/<service key>} from the
 * server's {@link Health}: 200 {@code {"status":"SERVING"}}, 503 {@code {"status":"NOT_SERVING"}},
 * or 404 with the error body for a service the server does not export. The bodies are made once; a
 * check costs a map lookup.
 */
final class HealthEndpoint {

  /** The method name interceptors see for a health check, as over the minirpc protocol. */
  static final String CHECK = "check";

  private static final String PATH = "/health";
  private static final byte[] SERVING = body(ServingStatus.SERVING);
  private static final byte[] NOT_SERVING = body(ServingStatus.NOT_SERVING);

  private final Health health;

  HealthEndpoint(Health health) {
    this.health = health;
  }

  private static byte[] body(ServingStatus status) {
    return ("{\"status\":\"" + status.name() + "\"}\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The service key a decoded request path asks the health of ({@value Health#SERVER} for the whole
   * server), or {@code null} if it is not a health path.
   */
  static String serviceOf(String path) {
    if (!path.startsWith(PATH)) {
      return null;
    }
    if (path.length() == PATH.length()) {
      return Health.SERVER;
    }
    return path.charAt(PATH.length()) == '/' ? path.substring(PATH.length() + 1) : null;
  }

  /** The answer to a check of this service, made at once: for a server without interceptors. */
  FullHttpResponse answer(ByteBufAllocator alloc, HttpVersion version, String service) {
    try {
      return answer(version, health.check(service));
    } catch (RpcException e) {
      return JsonResponses.failure(alloc, version, e.status(), null);
    }
  }

  /** 200 or 503 with the status as JSON. */
  static FullHttpResponse answer(HttpVersion version, ServingStatus status) {
    return status == ServingStatus.SERVING
        ? JsonResponses.of(version, HttpResponseStatus.OK, SERVING)
        : JsonResponses.of(version, HttpResponseStatus.SERVICE_UNAVAILABLE, NOT_SERVING);
  }

  /** The innermost step of a check's interceptor chain: the check itself. */
  ServerInterceptors.Service check(String service) {
    return new Check(service);
  }

  /**
   * What answers a check whose interceptors passed it with this result: a status, unless an
   * interceptor put something else in its place.
   */
  static Status notAStatus(Object result) {
    return Status.INTERNAL.withDescription(
        "an interceptor answered the health check with "
            + (result == null ? "null" : "a " + result.getClass().getName())
            + ", not a ServingStatus");
  }

  private final class Check implements ServerInterceptors.Service {

    private final String service;
    private volatile boolean ran;

    Check(String service) {
      this.service = service;
    }

    @Override
    public CompletableFuture<Object> proceed(ServerCallContext call) {
      ran = true;
      try {
        return CompletableFuture.completedFuture(health.check(service));
      } catch (RpcException e) {
        // Interceptors see NOT_FOUND as the outcome, as they do over the minirpc protocol.
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public boolean ran() {
      return ran;
    }
  }
}
