package io.minirpc.benchmark.ceiling;

import io.minirpc.benchmark.Operation;
import io.minirpc.benchmark.UserCalls;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * Blocking calls on the bare-Netty ceiling: each sends a request of the operation's size and waits
 * for the reply frame. {@code existUser} and {@code createUser} return {@code true} when it came;
 * {@code getUser} and {@code listUser} return the {@link CeilingReply}, not a user or a page.
 */
public final class CeilingUserCalls implements UserCalls {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final CeilingConnection connection;

  private CeilingUserCalls(CeilingConnection connection) {
    this.connection = connection;
  }

  /**
   * Measures minirpc-kryo's sizes of the calls in this JVM ({@link CallSizes#ofMinirpcKryo()}),
   * then connects to a {@link CeilingServer}.
   */
  public static CeilingUserCalls connect(String host, int port) {
    return new CeilingUserCalls(CeilingConnection.open(host, port, CallSizes.ofMinirpcKryo()));
  }

  @Override
  public boolean existUser(String email) {
    return call(Operation.EXIST_USER) != null;
  }

  @Override
  public boolean createUser(long id) {
    return call(Operation.CREATE_USER) != null;
  }

  @Override
  public Object getUser(long id) {
    return call(Operation.GET_USER);
  }

  @Override
  public Object listUser(int pageNo) {
    return call(Operation.LIST_USER);
  }

  @Override
  public void close() {
    connection.close();
  }

  private CeilingReply call(Operation op) {
    Waiter waiter = new Waiter();
    int callId = connection.call(op, waiter);
    try {
      return waiter.await(TIMEOUT);
    } catch (TimeoutException e) {
      connection.abandon(callId, waiter);
      throw new IllegalStateException("no reply to " + op.methodName() + " within " + TIMEOUT, e);
    }
  }

  /**
   * The calling thread parked until the I/O thread completes its call: the least a blocking call
   * can do, as a {@code CompletableFuture.get()} does.
   */
  private static final class Waiter implements BiConsumer<Object, Throwable> {
    private final Thread thread = Thread.currentThread();
    private volatile Object result;
    private volatile Throwable failure;
    private volatile boolean done;

    @Override
    public void accept(Object value, Throwable t) {
      result = value;
      failure = t;
      done = true;
      LockSupport.unpark(thread);
    }

    CeilingReply await(Duration timeout) throws TimeoutException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException();
        }
        LockSupport.parkNanos(this, left);
      }
      if (failure != null) {
        throw new IllegalStateException("the call failed: " + failure, failure);
      }
      return (CeilingReply) result;
    }
  }
}
