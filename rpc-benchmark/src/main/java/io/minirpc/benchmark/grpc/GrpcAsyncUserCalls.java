package io.minirpc.benchmark.grpc;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.minirpc.benchmark.AsyncUserCalls;
import io.minirpc.benchmark.protobuf.UserMessages;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.GetUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ListUserRequest;
import io.minirpc.benchmark.protobuf.UserServiceGrpc;
import io.minirpc.benchmark.protobuf.UserServiceGrpc.UserServiceStub;
import io.minirpc.example.user.UserServiceImpl;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Calls the gRPC service through its asynchronous stubs ({@code UserServiceGrpc.newStub}), over the
 * channels {@link GrpcUserCalls} makes (one by default, {@code directExecutor()} for grpc-direct,
 * where answers then arrive on the transport's threads; gRPC's default executor otherwise).
 */
public final class GrpcAsyncUserCalls implements AsyncUserCalls {

  private final List<ManagedChannel> channels;
  private final ThreadLocal<UserServiceStub> stubOfThisCaller;

  private GrpcAsyncUserCalls(List<ManagedChannel> channels) {
    this.channels = channels;
    List<UserServiceStub> stubs = channels.stream().map(UserServiceGrpc::newStub).toList();
    AtomicInteger callers = new AtomicInteger();
    this.stubOfThisCaller =
        ThreadLocal.withInitial(() -> stubs.get(callers.getAndIncrement() % stubs.size()));
  }

  public static GrpcAsyncUserCalls connect(String host, int port, boolean direct) {
    return new GrpcAsyncUserCalls(GrpcUserCalls.channels(host, port, direct));
  }

  @Override
  public void existUser(String email, BiConsumer<Object, Throwable> done) {
    stubOfThisCaller
        .get()
        .existUser(ExistUserRequest.newBuilder().setEmail(email).build(), new Answer<>(done));
  }

  @Override
  public void createUser(long id, BiConsumer<Object, Throwable> done) {
    stubOfThisCaller
        .get()
        .createUser(UserMessages.toMessage(UserServiceImpl.user(id)), new Answer<>(done));
  }

  @Override
  public void getUser(long id, BiConsumer<Object, Throwable> done) {
    stubOfThisCaller
        .get()
        .getUser(GetUserRequest.newBuilder().setId(id).build(), new Answer<>(done));
  }

  @Override
  public void listUser(int pageNo, BiConsumer<Object, Throwable> done) {
    stubOfThisCaller
        .get()
        .listUser(ListUserRequest.newBuilder().setPageNo(pageNo).build(), new Answer<>(done));
  }

  @Override
  public void close() {
    GrpcUserCalls.shutdown(channels);
  }

  /** The observer of one unary call: hands its single message, or its error, to {@code done}. */
  private static final class Answer<T> implements StreamObserver<T> {
    private final BiConsumer<Object, Throwable> done;
    private T value;

    Answer(BiConsumer<Object, Throwable> done) {
      this.done = done;
    }

    @Override
    public void onNext(T message) {
      value = message;
    }

    @Override
    public void onError(Throwable t) {
      done.accept(null, t);
    }

    @Override
    public void onCompleted() {
      done.accept(value, null);
    }
  }
}
