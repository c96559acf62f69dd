package io.minirpc.benchmark.grpc;

import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.minirpc.benchmark.UserCalls;
import io.minirpc.benchmark.protobuf.UserMessages;
import io.minirpc.benchmark.protobuf.UserProtos;
import io.minirpc.benchmark.protobuf.UserProtos.ExistUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.GetUserRequest;
import io.minirpc.benchmark.protobuf.UserProtos.ListUserRequest;
import io.minirpc.benchmark.protobuf.UserServiceGrpc;
import io.minirpc.benchmark.protobuf.UserServiceGrpc.UserServiceBlockingStub;
import io.minirpc.example.user.UserServiceImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls the gRPC service through blocking stubs. By default over one channel (one HTTP/2
 * connection) shared by all callers, as the reference benchmark does; {@value #CHANNELS_PROPERTY}
 * spreads the callers over several channels, each with its own connection and event loop, to look
 * for gRPC's fastest configuration. Calls carry no deadline, as in the reference benchmark.
 */
public final class GrpcUserCalls implements UserCalls {

  /** System property: how many channels the callers are spread over (default 1). */
  public static final String CHANNELS_PROPERTY = "minirpc.benchmark.grpcChannels";

  private final List<ManagedChannel> channels;
  private final ThreadLocal<UserServiceBlockingStub> stubOfThisCaller;

  private GrpcUserCalls(List<ManagedChannel> channels) {
    this.channels = channels;
    List<UserServiceBlockingStub> stubs =
        channels.stream().map(UserServiceGrpc::newBlockingStub).toList();
    AtomicInteger callers = new AtomicInteger();
    // Each caller thread keeps to one channel, the callers dealt round-robin.
    this.stubOfThisCaller =
        ThreadLocal.withInitial(() -> stubs.get(callers.getAndIncrement() % stubs.size()));
  }

  /**
   * Channels to the server ({@value #CHANNELS_PROPERTY} of them, 1 by default); {@code direct} sets
   * {@code directExecutor()} on them.
   */
  public static GrpcUserCalls connect(String host, int port, boolean direct) {
    return new GrpcUserCalls(channels(host, port, direct));
  }

  /** {@value #CHANNELS_PROPERTY} channels to the server, with {@code directExecutor()} if asked. */
  static List<ManagedChannel> channels(String host, int port, boolean direct) {
    int count = Integer.getInteger(CHANNELS_PROPERTY, 1);
    if (count < 1) {
      throw new IllegalArgumentException(CHANNELS_PROPERTY + " must be at least 1, not " + count);
    }
    List<ManagedChannel> channels = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      NettyChannelBuilder builder =
          NettyChannelBuilder.forAddress(host, port, InsecureChannelCredentials.create());
      if (direct) {
        builder.directExecutor();
      }
      channels.add(builder.build());
    }
    return channels;
  }

  @Override
  public boolean existUser(String email) {
    return stubOfThisCaller
        .get()
        .existUser(ExistUserRequest.newBuilder().setEmail(email).build())
        .getExist();
  }

  @Override
  public boolean createUser(long id) {
    return stubOfThisCaller
        .get()
        .createUser(UserMessages.toMessage(UserServiceImpl.user(id)))
        .getSuccess();
  }

  @Override
  public UserProtos.User getUser(long id) {
    return stubOfThisCaller.get().getUser(GetUserRequest.newBuilder().setId(id).build());
  }

  @Override
  public UserProtos.UserPage listUser(int pageNo) {
    return stubOfThisCaller.get().listUser(ListUserRequest.newBuilder().setPageNo(pageNo).build());
  }

  @Override
  public void close() {
    shutdown(channels);
  }

  static void shutdown(List<ManagedChannel> channels) {
    channels.forEach(ManagedChannel::shutdownNow);
    try {
      for (ManagedChannel channel : channels) {
        channel.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
