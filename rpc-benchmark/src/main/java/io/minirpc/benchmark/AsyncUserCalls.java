package io.minirpc.benchmark;

import java.util.function.BiConsumer;

/**
 * One backend's asynchronous caller of the UserService workload: each method sends its request and
 * returns at once; {@code done} gets the decoded result, or the failure, on whichever thread the
 * backend completes calls (an I/O thread, or the backend's callback executor). Thread-safe: the
 * benchmark's threads share one instance.
 *
 * <p>The answer goes to a callback rather than a returned future so that each backend uses its own
 * asynchronous API as it is, without an adapter: minirpc's {@code CompletableFuture} gets {@code
 * done} through {@code whenComplete}, gRPC's asynchronous stub through its {@code StreamObserver}.
 */
public interface AsyncUserCalls extends AutoCloseable {

  /** Whether a user has this email: a {@code Boolean} or the protobuf response message. */
  void existUser(String email, BiConsumer<Object, Throwable> done);

  /** Sends the workload's user of this id to be created: a {@code Boolean} or the response. */
  void createUser(long id, BiConsumer<Object, Throwable> done);

  /** The user of this id: a {@link io.minirpc.example.user.User} or its protobuf message. */
  void getUser(long id, BiConsumer<Object, Throwable> done);

  /** A page of 15 users: a {@link io.minirpc.example.user.Page} or its protobuf message. */
  void listUser(int pageNo, BiConsumer<Object, Throwable> done);

  /** Closes the connections; calls still waiting fail. */
  @Override
  void close();
}
