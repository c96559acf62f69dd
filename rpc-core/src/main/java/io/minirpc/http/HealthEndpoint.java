package io.minirpc.http;

import io.minirpc.Status;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

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

  /** 200 or 503 with the status as JSON. */
  static FullHttpResponse answer(HttpVersion version, ServingStatus status) {
    return status == ServingStatus.SERVING
        ? JsonResponses.of(version, HttpResponseStatus.OK, SERVING)
        : JsonResponses.of(version, HttpResponseStatus.SERVICE_UNAVAILABLE, NOT_SERVING);
  }

  /** A check of this service, as the innermost step of its interceptor chain. */
  OwnAnswer check(String service) {
    return new Check(service);
  }

  private final class Check extends OwnAnswer {

    private final String service;

    Check(String service) {
      super(Health.SERVICE, CHECK, "the health check");
      this.service = service;
    }

    @Override
    Object result() {
      return health.check(service);
    }

    /** A status, unless an interceptor put something else in its place. */
    @Override
    FullHttpResponse response(HttpVersion version, Object result) {
      if (result instanceof ServingStatus status) {
        return answer(version, status);
      }
      throw Status.INTERNAL
          .withDescription(
              "an interceptor answered the health check with "
                  + (result == null ? "null" : "a " + result.getClass().getName())
                  + ", not a ServingStatus")
          .asException();
    }
  }
}
