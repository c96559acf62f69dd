package io.minirpc.benchmark.minirpc;

import io.minirpc.CallOptions;
import io.minirpc.benchmark.UserStreams;
import io.minirpc.benchmark.protobuf.ProtobufUserStreamService;
import io.minirpc.benchmark.protobuf.UserProtos.StreamUsersRequest;
import io.minirpc.client.RpcClient;
import io.minirpc.serialize.KryoSerializer;
import io.minirpc.serialize.ProtobufSerializer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.IntFunction;

/**
 * Streams users from a minirpc server, with Kryo and the example's beans or with Protocol Buffers
 * and the proto's messages. The subscriber asks for everything at once: minirpc's credit keeps the
 * server at most its window ahead.
 */
public final class MinirpcUserStreams implements UserStreams {

  /**
   * System property: {@code direct} hands the items to the subscriber on the connection's event
   * loop (as gRPC's {@code directExecutor()} does), instead of the client's stream executor.
   */
  public static final String DELIVERY = "minirpc.benchmark.streamDelivery";

  private static final CallOptions STREAM_OPTIONS =
      CallOptions.DEFAULT.withTimeout(Duration.ofMinutes(1));

  private final RpcClient client;
  private final IntFunction<Flow.Publisher<?>> streams;

  private MinirpcUserStreams(RpcClient client, IntFunction<Flow.Publisher<?>> streams) {
    this.client = client;
    this.streams = streams;
  }

  public static MinirpcUserStreams kryo(String host, int port) {
    RpcClient client =
        RpcClient.builder()
            .addresses(host + ":" + port)
            .serializer(KryoSerializer.create())
            .build();
    UserStreamService service = client.stub(UserStreamService.class, STREAM_OPTIONS);
    return new MinirpcUserStreams(client, service::streamUsers);
  }

  public static MinirpcUserStreams protobuf(String host, int port) {
    RpcClient client = builder(host, port).serializer(ProtobufSerializer.create()).build();
    ProtobufUserStreamService service =
        client.stub(ProtobufUserStreamService.class, STREAM_OPTIONS);
    return new MinirpcUserStreams(
        client,
        count -> service.streamUsers(StreamUsersRequest.newBuilder().setCount(count).build()));
  }

  private static RpcClient.Builder builder(String host, int port) {
    RpcClient.Builder builder = RpcClient.builder().addresses(host + ":" + port);
    if ("direct".equals(System.getProperty(DELIVERY))) {
      builder.streamExecutor(Runnable::run);
    }
    return builder;
  }

  @Override
  public long streamUsers(int count) throws Exception {
    Counting counting = new Counting();
    streams.apply(count).subscribe(counting);
    return counting.done.get();
  }

  @Override
  public void close() {
    client.close();
  }

  private static final class Counting implements Flow.Subscriber<Object> {
    final CompletableFuture<Long> done = new CompletableFuture<>();
    private long received;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Object user) {
      received++;
    }

    @Override
    public void onError(Throwable failure) {
      done.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      done.complete(received);
    }
  }
}
