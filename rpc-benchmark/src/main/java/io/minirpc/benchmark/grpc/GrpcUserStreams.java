package io.minirpc.benchmark.grpc;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.minirpc.benchmark.UserStreams;
import io.minirpc.benchmark.protobuf.UserProtos;
import io.minirpc.benchmark.protobuf.UserProtos.StreamUsersRequest;
import io.minirpc.benchmark.protobuf.UserServiceGrpc;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Streams users from the gRPC server through its asynchronous stub, over the channel {@link
 * GrpcUserCalls} makes ({@code directExecutor()} when direct): gRPC's default inbound flow control,
 * which asks for the next message as each is delivered, within HTTP/2's window.
 */
public final class GrpcUserStreams implements UserStreams {

  private final List<ManagedChannel> channels;
  private final UserServiceGrpc.UserServiceStub stub;

  private GrpcUserStreams(List<ManagedChannel> channels) {
    this.channels = channels;
    this.stub = UserServiceGrpc.newStub(channels.get(0));
  }

  public static GrpcUserStreams connect(String host, int port, boolean direct) {
    return new GrpcUserStreams(GrpcUserCalls.channels(host, port, direct));
  }

  @Override
  public long streamUsers(int count) throws Exception {
    CompletableFuture<Long> done = new CompletableFuture<>();
    stub.streamUsers(
        StreamUsersRequest.newBuilder().setCount(count).build(),
        new StreamObserver<>() {
          private long received;

          @Override
          public void onNext(UserProtos.User user) {
            received++;
          }

          @Override
          public void onError(Throwable failure) {
            done.completeExceptionally(failure);
          }

          @Override
          public void onCompleted() {
            done.complete(received);
          }
        });
    return done.get();
  }

  @Override
  public void close() {
    GrpcUserCalls.shutdown(channels);
  }
}
