package io.minirpc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.CallOptions;
import io.minirpc.ClientInterceptor;
import io.minirpc.RpcException;
import io.minirpc.ServerInterceptor;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream calls pass the interceptors of both sides like unary calls: a client interceptor's
 * attachments reach the server, a server interceptor may refuse a stream before it starts, and both
 * see the outcome when the whole stream has ended.
 */
class StreamInterceptorTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);

  private final List<String> serverOutcomes = new CopyOnWriteArrayList<>();
  private final List<String> clientOutcomes = new CopyOnWriteArrayList<>();
  private final StreamServiceImpl impl = new StreamServiceImpl();
  private RpcServer server;

  @BeforeEach
  void start() {
    ServerInterceptor tenants =
        (call, next) -> {
          if (!"acme".equals(call.attachments().get("tenant"))) {
            throw Status.PERMISSION_DENIED.withDescription("no tenant").asException();
          }
          return next.proceed(call)
              .whenComplete(
                  (value, failure) ->
                      serverOutcomes.add(
                          call.method()
                              + " "
                              + (failure == null ? "OK" : ((RpcException) failure).code())
                              + " after "
                              + impl.lastProduced()));
        };
    server =
        RpcServer.builder().host("127.0.0.1").intercept(tenants).addService(impl).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RpcClient client(boolean withTenant) {
    ClientInterceptor tenant =
        (request, next) ->
            next.proceed(withTenant ? request.withAttachment("tenant", "acme") : request)
                .whenComplete(
                    (value, failure) ->
                        clientOutcomes.add(
                            request.method()
                                + " "
                                + (failure == null ? "OK" : ((RpcException) failure).code())));
    return RpcClient.builder().addresses("127.0.0.1:" + server.port()).intercept(tenant).build();
  }

  @Test
  void interceptorsOfBothSidesSeeTheWholeStream() throws Exception {
    try (RpcClient client = client(true)) {
      StreamService streams =
          client.stub(StreamService.class, CallOptions.DEFAULT.withTimeout(WITHIN));
      TestSubscriber<Long> subscriber = TestSubscriber.keeping(16);

      streams.count(1_000).subscribe(subscriber);

      assertThat(subscriber.await(WITHIN)).isEqualTo(1_000);
      // The server's outcome comes once every item was made, not when the publisher was returned.
      Await.until(WITHIN, "the server interceptor's outcome", () -> !serverOutcomes.isEmpty());
      assertThat(serverOutcomes).containsExactly("count OK after 1000");
      Await.until(WITHIN, "the client interceptor's outcome", () -> !clientOutcomes.isEmpty());
      assertThat(clientOutcomes).containsExactly("count OK");
    }
  }

  @Test
  void aServerInterceptorRefusesAStreamBeforeItStarts() throws Exception {
    try (RpcClient client = client(false)) {
      StreamService streams =
          client.stub(StreamService.class, CallOptions.DEFAULT.withTimeout(WITHIN));
      TestSubscriber<Long> subscriber = TestSubscriber.keeping(16);

      streams.count(1_000).subscribe(subscriber);

      RpcException e = catchThrowableOfType(() -> subscriber.await(WITHIN), RpcException.class);
      assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(e.status().description()).isEqualTo("no tenant");
      assertThat(impl.lastPublisher.get()).isNull();
      Await.until(WITHIN, "the client interceptor's outcome", () -> !clientOutcomes.isEmpty());
      assertThat(clientOutcomes).containsExactly("count PERMISSION_DENIED");
    }
  }

  @Test
  void aClientStreamPassesTheInterceptorsWithItsResult() throws Exception {
    try (RpcClient client = client(true)) {
      StreamService streams =
          client.stub(StreamService.class, CallOptions.DEFAULT.withTimeout(WITHIN));

      assertThat(streams.sum(new DemandPublisher<>(100, i -> i)).join()).isEqualTo(4_950);

      Await.until(WITHIN, "the client interceptor's outcome", () -> !clientOutcomes.isEmpty());
      assertThat(clientOutcomes).containsExactly("sum OK");
    }
  }
}
