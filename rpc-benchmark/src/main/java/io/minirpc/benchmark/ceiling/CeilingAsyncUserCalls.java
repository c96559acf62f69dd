package io.minirpc.benchmark.ceiling;

import io.minirpc.benchmark.AsyncUserCalls;
import io.minirpc.benchmark.Operation;
import java.util.function.BiConsumer;

/**
 * Asynchronous calls on the bare-Netty ceiling: each sends a request of the operation's size and
 * returns; {@code done} gets the operation's {@link CeilingReply} on the I/O thread when the reply
 * frame comes.
 */
public final class CeilingAsyncUserCalls implements AsyncUserCalls {

  private final CeilingConnection connection;

  private CeilingAsyncUserCalls(CeilingConnection connection) {
    this.connection = connection;
  }

  /** As {@link CeilingUserCalls#connect}: measures the sizes, then connects. */
  public static CeilingAsyncUserCalls connect(String host, int port) {
    return new CeilingAsyncUserCalls(CeilingConnection.open(host, port, CallSizes.ofMinirpcKryo()));
  }

  @Override
  public void existUser(String email, BiConsumer<Object, Throwable> done) {
    connection.call(Operation.EXIST_USER, done);
  }

  @Override
  public void createUser(long id, BiConsumer<Object, Throwable> done) {
    connection.call(Operation.CREATE_USER, done);
  }

  @Override
  public void getUser(long id, BiConsumer<Object, Throwable> done) {
    connection.call(Operation.GET_USER, done);
  }

  @Override
  public void listUser(int pageNo, BiConsumer<Object, Throwable> done) {
    connection.call(Operation.LIST_USER, done);
  }

  @Override
  public void close() {
    connection.close();
  }
}
