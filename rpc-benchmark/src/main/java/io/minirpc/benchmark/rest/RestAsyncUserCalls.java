package io.minirpc.benchmark.rest;

import com.fasterxml.jackson.databind.ObjectReader;
import io.minirpc.benchmark.AsyncUserCalls;
import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.internal.transport.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Deque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * Asynchronous calls of the example's UserService through minirpc's REST bridge ({@link
 * RestCodec}), on a pool of keep-alive HTTP/1.1 connections with one request in flight on each, as
 * HTTP/1.1 allows: a call takes an idle connection, or opens one if none is idle, and its response
 * gives the connection back before the call completes, on the connection's event loop. So the pool
 * grows to as many connections as calls are in flight at once: the trial's callers.
 *
 * <p>The same transport and threads as minirpc's client: epoll where available, one I/O thread,
 * {@code TCP_NODELAY}, pooled buffers.
 */
public final class RestAsyncUserCalls implements AsyncUserCalls {

  private final RestCodec codec;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  // Most recently used first: the connections that stay busy stay warm.
  private final Deque<HttpConnection> idle = new ConcurrentLinkedDeque<>();
  private final Queue<HttpConnection> opened = new ConcurrentLinkedQueue<>();

  private RestAsyncUserCalls(String host, int port) {
    this.codec = new RestCodec(host, port);
    EventLoops transport = EventLoops.best();
    this.group = transport.newGroup(1, "rest-client-io");
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(transport.socketChannel())
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.TCP_NODELAY, true)
            .remoteAddress(host, port);
  }

  /** A client of the REST bridge at this address; connections open as calls need them. */
  public static RestAsyncUserCalls connect(String host, int port) {
    return new RestAsyncUserCalls(host, port);
  }

  @Override
  public void existUser(String email, BiConsumer<Object, Throwable> done) {
    post("existUser", new Object[] {email}, codec.booleans, done);
  }

  @Override
  public void createUser(long id, BiConsumer<Object, Throwable> done) {
    post("createUser", new Object[] {UserServiceImpl.user(id)}, codec.booleans, done);
  }

  @Override
  public void getUser(long id, BiConsumer<Object, Throwable> done) {
    post("getUser", new Object[] {id}, codec.users, done);
  }

  @Override
  public void listUser(int pageNo, BiConsumer<Object, Throwable> done) {
    post("listUser", new Object[] {pageNo}, codec.pages, done);
  }

  @Override
  public void close() {
    HttpConnection connection;
    while ((connection = opened.poll()) != null) {
      connection.close();
    }
    idle.clear();
    EventLoops.shutdown(group);
  }

  private void post(
      String method, Object[] arguments, ObjectReader reader, BiConsumer<Object, Throwable> done) {
    HttpConnection connection = idle.pollFirst();
    if (connection != null && connection.channel().isActive()) {
      send(connection, method, arguments, reader, done);
      return;
    }
    if (connection != null) {
      opened.remove(connection); // closed by the server while idle
    }
    HttpConnection fresh = new HttpConnection();
    fresh
        .open(bootstrap)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    done.accept(null, f.cause());
                    return;
                  }
                  fresh.attach(f.channel());
                  opened.add(fresh);
                  send(fresh, method, arguments, reader, done);
                });
  }

  private void send(
      HttpConnection connection,
      String method,
      Object[] arguments,
      ObjectReader reader,
      BiConsumer<Object, Throwable> done) {
    connection.send(
        codec.request(connection.channel().alloc(), method, arguments),
        (response, failure) -> {
          if (failure != null) {
            opened.remove(connection);
            connection.channel().close();
            done.accept(null, failure);
            return;
          }
          Object result = null;
          RuntimeException error = null;
          try {
            result = codec.result(method, response, reader);
          } catch (RuntimeException e) {
            error = e;
          } finally {
            release(connection, response);
          }
          done.accept(result, error);
        });
  }

  /** Frees the response and gives its connection back, unless the server is closing it. */
  private void release(HttpConnection connection, FullHttpResponse response) {
    boolean keepAlive = HttpUtil.isKeepAlive(response);
    response.release();
    if (keepAlive) {
      idle.addFirst(connection);
    } else {
      opened.remove(connection);
      connection.channel().close();
    }
  }
}
