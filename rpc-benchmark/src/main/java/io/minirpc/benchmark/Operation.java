package io.minirpc.benchmark;

import java.util.Arrays;
import java.util.List;

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
  },
  CREATE_USER("createUser") {
    @Override
    public Object call(UserCalls calls, long n) {
      return calls.createUser(n);
    }
  },
  GET_USER("getUser") {
    @Override
    public Object call(UserCalls calls, long n) {
      return calls.getUser(n);
    }
  },
  LIST_USER("listUser") {
    @Override
    public Object call(UserCalls calls, long n) {
      return calls.listUser((int) n);
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
