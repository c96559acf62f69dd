package io.minirpc.http;

import io.minirpc.Status;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The HTTP status that answers a call of each {@link Status.Code}: the one place where the REST
 * bridge maps minirpc's outcomes to HTTP. The code itself always travels too, in the error body.
 */
final class HttpStatuses {

  /** nginx's and grpc-gateway's status for a request its client gave up on. */
  static final HttpResponseStatus CLIENT_CLOSED_REQUEST =
      new HttpResponseStatus(499, "Client Closed Request");

  private HttpStatuses() {}

  static HttpResponseStatus of(Status.Code code) {
    return switch (code) {
      case OK -> HttpResponseStatus.OK;
      case CANCELLED -> CLIENT_CLOSED_REQUEST;
      case DEADLINE_EXCEEDED -> HttpResponseStatus.GATEWAY_TIMEOUT;
      case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
      case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
      case INVALID_ARGUMENT -> HttpResponseStatus.BAD_REQUEST;
      // Arguments that cannot be read are the caller's mistake; a result that cannot be written
      // is answered 500 by the responder, which knows which of the two happened.
      case SERIALIZATION -> HttpResponseStatus.BAD_REQUEST;
      case APPLICATION_ERROR -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
      // A full business executor is a brief overload of the whole server, which is what 503
      // with Retry-After says (RFC 9110, 15.6.4); 429 would blame this one client.
      case RESOURCE_EXHAUSTED -> HttpResponseStatus.SERVICE_UNAVAILABLE;
      case UNAUTHENTICATED -> HttpResponseStatus.UNAUTHORIZED;
      case PERMISSION_DENIED -> HttpResponseStatus.FORBIDDEN;
      case UNIMPLEMENTED -> HttpResponseStatus.NOT_IMPLEMENTED;
      case INTERNAL -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
    };
  }
}
