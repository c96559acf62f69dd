package io.minirpc.benchmark.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.minirpc.benchmark.UserCalls;
import io.minirpc.example.user.Page;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.internal.transport.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Calls the example's UserService through minirpc's REST bridge: {@code POST
 * /example.UserService/getUser} with the arguments as a JSON array, the result as JSON.
 *
 * <p>A small HTTP/1.1 client on Netty, built to be a fair opponent rather than a convenient one:
 * each calling thread gets its own keep-alive connection (HTTP/1.1 carries one exchange at a time
 * per connection), requests are written into pooled buffers, and Jackson reads each result straight
 * from the response's buffer. The same transport (epoll where available) as minirpc's client.
 */
public final class RestUserCalls implements UserCalls {

  private static final String PATH = "/example.UserService/";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_RESPONSE_SIZE = 8 * 1024 * 1024;

  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final String hostHeader;
  private final ObjectWriter argumentsWriter;
  private final ObjectReader booleanReader;
  private final ObjectReader userReader;
  private final ObjectReader pageReader;
  private final ObjectReader errorReader;
  private final ThreadLocal<HttpConnection> connections = ThreadLocal.withInitial(this::open);
  private final Queue<HttpConnection> opened = new ConcurrentLinkedQueue<>();

  private RestUserCalls(String host, int port) {
    // The REST bridge's own mapping: ISO-8601 dates, unknown properties ignored.
    JsonMapper mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    this.argumentsWriter = mapper.writerFor(Object[].class);
    this.booleanReader = mapper.readerFor(Boolean.class);
    this.userReader = mapper.readerFor(User.class);
    this.pageReader = mapper.readerFor(new TypeReference<Page<User>>() {});
    this.errorReader = mapper.readerFor(JsonNode.class);
    this.hostHeader = host + ":" + port;
    EventLoops transport = EventLoops.best();
    this.group = transport.newGroup(0, "rest-client-io");
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(transport.socketChannel())
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.TCP_NODELAY, true)
            .remoteAddress(host, port);
  }

  /** A client of the REST bridge at this address; connections open on each thread's first call. */
  public static RestUserCalls connect(String host, int port) {
    return new RestUserCalls(host, port);
  }

  @Override
  public boolean existUser(String email) {
    return (Boolean) post("existUser", new Object[] {email}, booleanReader);
  }

  @Override
  public boolean createUser(long id) {
    return (Boolean) post("createUser", new Object[] {UserServiceImpl.user(id)}, booleanReader);
  }

  @Override
  public User getUser(long id) {
    return (User) post("getUser", new Object[] {id}, userReader);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Page<User> listUser(int pageNo) {
    return (Page<User>) post("listUser", new Object[] {pageNo}, pageReader);
  }

  @Override
  public void close() {
    HttpConnection connection;
    while ((connection = opened.poll()) != null) {
      connection.close();
    }
    EventLoops.shutdown(group);
  }

  private Object post(String method, Object[] arguments, ObjectReader resultReader) {
    HttpConnection connection = connections.get();
    ByteBuf body = PooledByteBufAllocator.DEFAULT.buffer();
    FullHttpRequest request;
    try {
      try (OutputStream out = new ByteBufOutputStream(body)) {
        argumentsWriter.writeValue(out, arguments);
      }
      request =
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, PATH + method, body);
    } catch (IOException | RuntimeException e) {
      body.release();
      throw new IllegalStateException("could not write the arguments of " + method, e);
    }
    request
        .headers()
        .set(HttpHeaderNames.HOST, hostHeader)
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    FullHttpResponse response;
    try {
      response = connection.exchange(request, TIMEOUT);
    } catch (IOException e) {
      connections.remove();
      throw new UncheckedIOException("POST " + PATH + method, e);
    }
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
    } finally {
      response.release();
    }
  }

  private HttpConnection open() {
    HttpConnection connection = new HttpConnection();
    Channel channel =
        bootstrap
            .clone()
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(MAX_RESPONSE_SIZE))
                        .addLast(connection);
                  }
                })
            .connect()
            .syncUninterruptibly()
            .channel();
    connection.attach(channel);
    opened.add(connection);
    return connection;
  }
}
