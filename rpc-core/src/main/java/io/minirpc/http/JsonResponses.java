package io.minirpc.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.minirpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds the bridge's responses: a JSON body with its length, and for failures the error body
 * {@code {"code": "NOT_FOUND", "message": "...", "type": "..."}}, where {@code type} names the
 * service's exception and appears only when there is one.
 */
final class JsonResponses {

  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
  private static final AsciiString ONE_SECOND = AsciiString.cached("1");

  private JsonResponses() {}

  /** A 200 response carrying this JSON; it takes over the buffer. */
  static FullHttpResponse ok(HttpVersion version, ByteBuf json) {
    return withJson(version, HttpResponseStatus.OK, json);
  }

  /** A 200 response carrying JSON prepared once; the bytes are shared, never copied. */
  static FullHttpResponse ok(HttpVersion version, byte[] json) {
    return withJson(version, HttpResponseStatus.OK, Unpooled.wrappedBuffer(json));
  }

  /** A response of this HTTP status carrying JSON prepared once; the bytes are shared. */
  static FullHttpResponse of(HttpVersion version, HttpResponseStatus status, byte[] json) {
    return withJson(version, status, Unpooled.wrappedBuffer(json));
  }

  /** The response to a call that ended with this status, with the HTTP status it maps to. */
  static FullHttpResponse failure(
      ByteBufAllocator alloc, HttpVersion version, Status status, String remoteType) {
    return failure(alloc, version, HttpStatuses.of(status.code()), status, remoteType);
  }

  /** A failure answered with an HTTP status of its own, for what the status code cannot say. */
  static FullHttpResponse failure(
      ByteBufAllocator alloc,
      HttpVersion version,
      HttpResponseStatus httpStatus,
      Status status,
      String remoteType) {
    ByteBuf body = alloc.buffer(128);
    try (JsonGenerator json =
        JSON.createGenerator(
            (java.io.OutputStream) new ByteBufOutputStream(body), JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("code", status.code().name());
      String message = status.description();
      json.writeStringField("message", message != null ? message : status.code().name());
      if (remoteType != null) {
        json.writeStringField("type", remoteType);
      }
      json.writeEndObject();
    } catch (IOException e) {
      body.release();
      throw new UncheckedIOException("cannot write to a buffer", e);
    }
    FullHttpResponse response = withJson(version, httpStatus, body);
    if (httpStatus.code() == 503 && status.code() == Status.Code.RESOURCE_EXHAUSTED) {
      response.headers().set(HttpHeaderNames.RETRY_AFTER, ONE_SECOND);
    }
    return response;
  }

  private static FullHttpResponse withJson(
      HttpVersion version, HttpResponseStatus status, ByteBuf json) {
    FullHttpResponse response = new DefaultFullHttpResponse(version, status, json);
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_JSON);
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, json.readableBytes());
    return response;
  }
}
