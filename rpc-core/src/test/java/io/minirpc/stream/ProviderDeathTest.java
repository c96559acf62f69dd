package io.minirpc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.CallOptions;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.testing.Await;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider dies mid-stream (SIGKILL, in a process of its own): the caller's streams fail with
 * UNAVAILABLE at once, its publisher is cancelled, and nothing hangs.
 */
class ProviderDeathTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);

  private Process provider;
  private RpcClient client;
  private StreamService streams;

  @BeforeEach
  void start() throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    provider =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx128m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    StreamProviderMain.class.getName()))
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(provider.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("PORT ")) {
                    return Integer.parseInt(line.substring(5).trim());
                  }
                }
                throw new IllegalStateException("the provider ended without saying its port");
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    int p = port.get(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    // Its output is not read any more; it prints nothing more that could fill the pipe.
    client = RpcClient.builder().addresses("127.0.0.1:" + p).build();
    streams = client.stub(StreamService.class, CallOptions.DEFAULT.withTimeout(WITHIN));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    provider.destroyForcibly().waitFor(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void aServerStreamFailsWithUnavailableWhenItsProviderIsKilled() throws Exception {
    TestSubscriber<Long> subscriber = TestSubscriber.keeping(10);
    streams.count(Long.MAX_VALUE).subscribe(subscriber);
    Await.until(WITHIN, "items from the provider", () -> subscriber.received() >= 1_000);

    provider.destroyForcibly();

    RpcException e = catchThrowableOfType(() -> subscriber.await(WITHIN), RpcException.class);
    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getMessage()).contains("closed before the answer arrived");
  }

  @Test
  void aClientStreamFailsWithUnavailableAndItsPublisherIsCancelled() throws Exception {
    DemandPublisher<Long> endless = new DemandPublisher<>(Long.MAX_VALUE, i -> i);
    CompletableFuture<Long> sum = streams.sum(endless);
    Await.until(WITHIN, "items taken by the provider", () -> endless.produced() >= 1_000);

    provider.destroyForcibly();

    RpcException e =
        catchThrowableOfType(
            () -> {
              try {
                sum.get(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
              } catch (java.util.concurrent.ExecutionException x) {
                throw x.getCause();
              }
            },
            RpcException.class);
    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    Await.until(WITHIN, "the caller's publisher cancelled", endless::cancelled);
  }
}
