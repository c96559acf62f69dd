package io.minirpc.benchmark.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.minirpc.example.user.Page;
import io.minirpc.example.user.User;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The REST bridge's calls as HTTP messages, for both REST callers: {@code POST
 * /example.UserService/<method>} with the arguments as a JSON array, and the result read from the
 * response's JSON (or its error, {@code {"code","message"}}, thrown). Arguments are written into
 * pooled buffers and results read straight from the response's buffer, with the bridge's own
 * mapping: ISO-8601 dates, unknown properties ignored.
 */
final class RestCodec {

  private static final String PATH = "/example.UserService/";

  private final String hostHeader;
  private final ObjectWriter argumentsWriter;
  private final ObjectReader errorReader;
  final ObjectReader booleans;
  final ObjectReader users;
  final ObjectReader pages;

  RestCodec(String host, int port) {
    JsonMapper mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    this.hostHeader = host + ":" + port;
    this.argumentsWriter = mapper.writerFor(Object[].class);
    this.errorReader = mapper.readerFor(JsonNode.class);
    this.booleans = mapper.readerFor(Boolean.class);
    this.users = mapper.readerFor(User.class);
    this.pages = mapper.readerFor(new TypeReference<Page<User>>() {});
  }

  /** The keep-alive request of a call of this method with these arguments. */
  FullHttpRequest request(ByteBufAllocator alloc, String method, Object[] arguments) {
    ByteBuf body = alloc.buffer();
    try {
      try (OutputStream out = new ByteBufOutputStream(body)) {
        argumentsWriter.writeValue(out, arguments);
      }
    } catch (IOException | RuntimeException e) {
      body.release();
      throw new IllegalStateException("could not write the arguments of " + method, e);
    }
    FullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, PATH + method, body);
    request
        .headers()
        .set(HttpHeaderNames.HOST, hostHeader)
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    return request;
  }

  /**
   * The result of a call from its response, which the caller still releases.
   *
   * @throws IllegalStateException if the bridge answered an error: its status, code and message
   */
  Object result(String method, FullHttpResponse response, ObjectReader resultReader) {
    try (InputStream in = new ByteBufInputStream(response.content())) {
      int status = response.status().code();
      if (status / 100 != 2) {
        JsonNode error = errorReader.readValue(in);
        throw new IllegalStateException(
            "POST "
                + PATH
                + method
                + " answered "
                + status
                + ": "
                + error.path("code").asText()
                + ": "
                + error.path("message").asText());
      }
      return resultReader.readValue(in);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the result of " + method, e);
    }
  }

  /** What a failed exchange is reported as: {@code POST /example.UserService/getUser}. */
  static String describe(String method) {
    return "POST " + PATH + method;
  }
}
