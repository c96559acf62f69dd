package io.minirpc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.CallOptions;
import io.minirpc.RpcException;
import io.minirpc.RpcService;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsServiceImpl;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A request stream whose items the server's full business executor cannot take: the call fails with
 * RESOURCE_EXHAUSTED rather than leaving the caller waiting.
 */
class StreamOverloadTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);

  @RpcService(name = "test.Calls", version = "1")
  interface Gates {
    CompletableFuture<String> await(String gate);
  }

  @Test
  void itemsTheBusyServerCannotHandOverFailTheCallWithResourceExhausted() throws Exception {
    CallsServiceImpl calls = new CallsServiceImpl();
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .workerThreads(1)
                .workerQueueSize(1)
                .addService(new StreamServiceImpl())
                .addService(calls)
                .build()
                .start();
        RpcClient client =
            RpcClient.builder().addresses("127.0.0.1:" + server.port()).timeout(WITHIN).build();
        SubmissionPublisher<Long> numbers = new SubmissionPublisher<>()) {
      StreamService streams = client.stub(StreamService.class, CallOptions.DEFAULT);
      Gates gates = client.stub(Gates.class);
      CompletableFuture<Long> sum = streams.sum(numbers);
      Await.until(WITHIN, "the stream's subscriber", () -> numbers.getNumberOfSubscribers() == 1);
      // The service has asked for items: it runs no more. Now the only worker blocks, and the one
      // place in its queue is taken.
      Await.until(
          WITHIN,
          "the service's demand to reach the caller",
          () -> numbers.estimateMinimumDemand() > 0);
      CompletableFuture<String> blocker = gates.await("blocker");
      Await.until(WITHIN, "the blocker to run", () -> calls.executions("await") == 1);
      CompletableFuture<String> queued = gates.await("queued");
      Await.until(WITHIN, "the queued call", () -> server.inFlightCalls() == 3);

      numbers.submit(1L);

      RpcException e =
          catchThrowableOfType(
              () -> {
                try {
                  sum.get(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException x) {
                  throw x.getCause();
                }
              },
              RpcException.class);
      assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.status().description())
          .isEqualTo(
              "the server is busy: its business executor took no more of the request stream of"
                  + " StreamService.sum");
      calls.open("blocker");
      calls.open("queued");
      assertThat(blocker.get(WITHIN.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
      assertThat(queued.get(WITHIN.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
    }
  }

  @Test
  void aServerClosedWithStreamItemsStillQueuedClosesCleanly() throws Exception {
    CallsServiceImpl calls = new CallsServiceImpl();
    RpcServer server =
        RpcServer.builder()
            .host("127.0.0.1")
            .workerThreads(1)
            .gracePeriod(Duration.ZERO)
            .addService(new StreamServiceImpl())
            .addService(calls)
            .build()
            .start();
    try (RpcClient client =
            RpcClient.builder().addresses("127.0.0.1:" + server.port()).timeout(WITHIN).build();
        SubmissionPublisher<Long> numbers = new SubmissionPublisher<>()) {
      StreamService streams = client.stub(StreamService.class, CallOptions.DEFAULT);
      Gates gates = client.stub(Gates.class);
      CompletableFuture<Long> sum = streams.sum(numbers);
      Await.until(
          WITHIN,
          "the service's demand to reach the caller",
          () -> numbers.estimateMinimumDemand() > 0);
      CompletableFuture<String> blocker = gates.await("blocker");
      Await.until(WITHIN, "the blocker to run", () -> calls.executions("await") == 1);
      numbers.submit(1L);
      // Sent after the item on the same connection: once it is queued, so is the item's hand-off.
      CompletableFuture<String> queued = gates.await("queued");
      Await.until(WITHIN, "the queued call", () -> server.inFlightCalls() == 3);

      server.close();

      calls.open("blocker");
      assertThat(catchThrowableOfType(sum::join, RuntimeException.class)).isNotNull();
      assertThat(catchThrowableOfType(queued::join, RuntimeException.class)).isNotNull();
      blocker.handle((value, failure) -> null).get(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      server.close();
    }
  }
}
