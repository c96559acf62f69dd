package io.minirpc.benchmark;

/**
 * One backend's caller of the UserService workload: builds each request in the form its backend
 * carries (beans, protobuf messages, JSON) and returns the decoded result. Thread-safe: the
 * benchmark's callers share one instance.
 */
public interface UserCalls extends AutoCloseable {

  /** Whether a user has this email; the workload's answer is {@code true} for a last digit < 5. */
  boolean existUser(String email);

  /** Sends the workload's user of this id to be created; {@code true} when it was. */
  boolean createUser(long id);

  /** The user of this id: a {@link io.minirpc.example.user.User} or its protobuf message. */
  Object getUser(long id);

  /** A page of 15 users: a {@link io.minirpc.example.user.Page} or its protobuf message. */
  Object listUser(int pageNo);

  /** Closes the connections; calls still waiting fail. */
  @Override
  void close();
}
