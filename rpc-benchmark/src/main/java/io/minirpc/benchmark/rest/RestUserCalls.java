package io.minirpc.benchmark.rest;

import com.fasterxml.jackson.databind.ObjectReader;
import io.minirpc.benchmark.UserCalls;
import io.minirpc.example.user.Page;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.internal.transport.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking calls of the example's UserService through minirpc's REST bridge ({@link RestCodec}), a
 * small HTTP/1.1 client on Netty: each calling thread gets its own keep-alive connection (HTTP/1.1
 * carries one exchange at a time per connection), writes its request and waits for the response.
 * The same transport (epoll where available) as minirpc's client. A connection the server closes,
 * or that fails, is replaced on the thread's next call.
 */
public final class RestUserCalls implements UserCalls {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final RestCodec codec;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final ThreadLocal<HttpConnection> connections = new ThreadLocal<>();
  private final Queue<HttpConnection> opened = new ConcurrentLinkedQueue<>();

  private RestUserCalls(String host, int port) {
    this.codec = new RestCodec(host, port);
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
    return (Boolean) post("existUser", new Object[] {email}, codec.booleans);
  }

  @Override
  public boolean createUser(long id) {
    return (Boolean) post("createUser", new Object[] {UserServiceImpl.user(id)}, codec.booleans);
  }

  @Override
  public User getUser(long id) {
    return (User) post("getUser", new Object[] {id}, codec.users);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Page<User> listUser(int pageNo) {
    return (Page<User>) post("listUser", new Object[] {pageNo}, codec.pages);
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
    HttpConnection connection = connection();
    FullHttpResponse response;
    try {
      response = exchange(connection, method, arguments);
    } catch (IOException e) {
      drop(connection);
      throw new UncheckedIOException(RestCodec.describe(method), e);
    }
    try {
      if (!HttpUtil.isKeepAlive(response)) {
        drop(connection);
      }
      return codec.result(method, response, resultReader);
    } finally {
      response.release();
    }
  }

  private FullHttpResponse exchange(HttpConnection connection, String method, Object[] arguments)
      throws IOException {
    CompletableFuture<FullHttpResponse> answer = new CompletableFuture<>();
    connection.send(
        codec.request(connection.channel().alloc(), method, arguments),
        (response, failure) -> {
          if (failure != null) {
            answer.completeExceptionally(failure);
          } else if (!answer.complete(response)) {
            // The caller gave up waiting: nobody will read it.
            response.release();
          }
        });
    try {
      return answer.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IOException("the HTTP exchange failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      answer.completeExceptionally(e);
      throw new IOException("no HTTP response within " + TIMEOUT.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer.completeExceptionally(e);
      throw new IOException("interrupted while waiting for an HTTP response", e);
    }
  }

  private HttpConnection connection() {
    HttpConnection connection = connections.get();
    if (connection != null && connection.channel().isActive()) {
      return connection;
    }
    HttpConnection fresh = new HttpConnection();
    Channel channel = fresh.open(bootstrap).syncUninterruptibly().channel();
    fresh.attach(channel);
    opened.add(fresh);
    connections.set(fresh);
    return fresh;
  }

  private void drop(HttpConnection connection) {
    connections.remove();
    opened.remove(connection);
    connection.channel().close();
  }
}
