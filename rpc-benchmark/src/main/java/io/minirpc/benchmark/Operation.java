package io.minirpc.benchmark;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The four calls of the workload, named as the benchmark methods of {@link UserServiceBenchmark}
 * and as the service's methods.
 */
public enum Operation {
  EXIST_USER("existUser") {
    @Override
    public Object call(UserCalls calls, long n) {
      return calls.existUser(String.valueOf(n));
    }

    @Override
    public void callAsync(AsyncUserCalls calls, long n, BiConsumer<Object, Throwable> done) {
      calls.existUser(String.valueOf(n), done);
    }
  },
  CREATE_USER("createUser") {
    @Override
    public Object call(UserCalls calls, long n) {
      return calls.createUser(n);
    }

    @Override
    public void callAsync(AsyncUserCalls calls, long n, BiConsumer<Object, Throwable> done) {
      calls.createUser(n, done);
    }
  },
  GET_USER("getUser") {
    @Override
    public Object call(UserCalls calls, long n) {
      return calls.getUser(n);
    }

    @Override
    public void callAsync(AsyncUserCalls calls, long n, BiConsumer<Object, Throwable> done) {
      calls.getUser(n, done);
    }
  },
  LIST_USER("listUser") {
    @Override
    public Object call(UserCalls calls, long n) {
      return calls.listUser((int) n);
    }

    @Override
    public void callAsync(AsyncUserCalls calls, long n, BiConsumer<Object, Throwable> done) {
      calls.listUser((int) n, done);
    }
  };

  private final String methodName;

  Operation(String methodName) {
    this.methodName = methodName;
  }

  /** The method's name: {@code getUser}. */
  public String methodName() {
    return methodName;
  }

  /**
   * Makes the n-th call of this operation, with the reference benchmark's arguments: the number as
   * email, user id or page number.
   */
  public abstract Object call(UserCalls calls, long n);

  /** Starts the n-th call of this operation, with the arguments of {@link #call}. */
  public abstract void callAsync(AsyncUserCalls calls, long n, BiConsumer<Object, Throwable> done);

  /**
   * The operation of this method name.
   *
   * @throws IllegalArgumentException if there is none; the message lists the names
   */
  public static Operation named(String methodName) {
    for (Operation operation : values()) {
      if (operation.methodName.equals(methodName)) {
        return operation;
      }
    }
    throw new IllegalArgumentException(
        "unknown operation " + methodName + "; the operations are " + names());
  }

  static List<String> names() {
    return Arrays.stream(values()).map(Operation::methodName).toList();
  }
}
