package io.minirpc.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A minute of steady load on one real server, over both of its protocols: blocking and asynchronous
 * calls from an {@code RpcClient} and JSON calls to the REST bridge, with payloads from a few bytes
 * to 64 KiB. Nothing may fail, no buffer may leak (the leak detector extension checks after the
 * class), and the threads, the calls in flight and Netty's pooled memory must stay flat after the
 * warm-up.
 *
 * <p>Tagged {@code soak}: {@code mvn verify} runs it in a surefire execution of its own (so that no
 * other test's threads or buffers blur its figures); {@code -DskipSoak} skips it, and {@code
 * -Dminirpc.soak.seconds=N} shortens it. The figures are printed to the test's output.
 */
@Tag("soak")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SoakTest {

  private static final Duration RUN = Duration.ofSeconds(Long.getLong("minirpc.soak.seconds", 60));
  private static final Duration WARM_UP = RUN.dividedBy(6);
  private static final Duration SAMPLE_EVERY = RUN.dividedBy(12);

  private static final int SYNC_CALLERS = 2;
  private static final int ASYNC_OUTSTANDING = 8;
  private static final int REST_CALLERS = 1;

  /** 500 calls a second per blocking caller and for the asynchronous one, 200 over REST. */
  private static final long SYNC_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private static final long ASYNC_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long REST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** Payload sizes, used in turn. */
  private static final int[] SIZES = {16, 1024, 16 * 1024, 64 * 1024};

  /** Threads that may come and go on their own: JIT compiler threads, the common pool's. */
  private static final int THREAD_TOLERANCE = 4;

  /** Room for the pool to take one more chunk or two in a few arenas after the warm-up. */
  private static final long MEMORY_TOLERANCE_BYTES = 16L << 20;

  private final Queue<String> errors = new ConcurrentLinkedQueue<>();
  private final AtomicInteger errorCount = new AtomicInteger();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Latencies latencies = new Latencies();
  private final AtomicInteger syncCalls = new AtomicInteger();
  private final AtomicInteger asyncCalls = new AtomicInteger();
  private final AtomicInteger restCalls = new AtomicInteger();
  private final List<String> texts = new ArrayList<>();

  @Test
  void steadyLoadMakesNoErrorsAndKeepsThreadsCallsInFlightAndPooledMemoryFlat() throws Exception {
    Random random = new Random(42);
    for (int size : SIZES) {
      StringBuilder text = new StringBuilder(size);
      for (int i = 0; i < size; i++) {
        text.append((char) ('a' + random.nextInt(26)));
      }
      texts.add(text.toString());
    }
    ExecutorService httpThreads = Executors.newSingleThreadExecutor();
    ExecutorService callers = Executors.newFixedThreadPool(SYNC_CALLERS + 1 + REST_CALLERS);
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .restPort(0)
                .addService(new CallsServiceImpl())
                .build()
                .start();
        RpcClient client =
            RpcClient.builder()
                .addresses("127.0.0.1:" + server.port())
                // The soak is about leaks and growth, not latency: a stall of the shared machine
                // must not count as an error.
                .timeout(Duration.ofSeconds(10))
                .build()) {
      CallsService calls = client.stub(CallsService.class);
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(httpThreads)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      URI echo = URI.create("http://127.0.0.1:" + server.restPort() + "/test.Calls:1/echo");

      long start = System.nanoTime();
      List<Future<?>> load = new ArrayList<>();
      for (int i = 0; i < SYNC_CALLERS; i++) {
        load.add(callers.submit(() -> blockingCalls(calls)));
      }
      Semaphore outstanding = new Semaphore(ASYNC_OUTSTANDING);
      load.add(callers.submit(() -> asyncCalls(calls, outstanding)));
      for (int i = 0; i < REST_CALLERS; i++) {
        load.add(callers.submit(() -> restCalls(http, echo)));
      }

      List<Sample> samples = new ArrayList<>();
      Pacer sampler = new Pacer(SAMPLE_EVERY.toNanos());
      long end = start + RUN.toNanos();
      while (System.nanoTime() - end < 0) {
        sampler.awaitNextTick();
        Sample sample = Sample.take(start, latencies.count(), client, server);
        samples.add(sample);
        System.out.println("soak " + sample);
      }
      stop.set(true);
      for (Future<?> f : load) {
        f.get(30, TimeUnit.SECONDS);
      }
      Await.until(
          Duration.ofSeconds(15),
          "the asynchronous calls are answered",
          () -> outstanding.availablePermits() == ASYNC_OUTSTANDING);
      Await.until(
          Duration.ofSeconds(15),
          "no call is in flight any more",
          () -> client.pendingCalls() == 0 && server.inFlightCalls() == 0);
      System.out.println(
          "soak, load stopped: " + Sample.take(start, latencies.count(), client, server));

      Sample warm =
          samples.stream()
              .filter(s -> s.elapsedMillis() >= WARM_UP.toMillis())
              .findFirst()
              .orElseThrow();
      Sample last = samples.get(samples.size() - 1);
      System.out.printf(
          "soak: %d calls in %d s (%d blocking, %d asynchronous, %d REST), p50 %d µs, p99 %d µs,"
              + " p99.9 %d µs; %d errors; threads %d after warm-up, %d at the end; pooled direct"
              + " memory %.1f MiB after warm-up, %.1f MiB at the end%n",
          latencies.count(),
          RUN.toSeconds(),
          syncCalls.get(),
          asyncCalls.get(),
          restCalls.get(),
          latencies.percentileMicros(0.50),
          latencies.percentileMicros(0.99),
          latencies.percentileMicros(0.999),
          errorCount.get(),
          warm.threads(),
          last.threads(),
          warm.pooledDirectBytes() / 1048576.0,
          last.pooledDirectBytes() / 1048576.0);

      assertThat(errors).as("errors (%d in all)", errorCount.get()).isEmpty();
      // A steady load at all: a tenth of the paced rate, even on a busy machine.
      assertThat(latencies.count()).isGreaterThan((int) (RUN.toSeconds() * 170));
      for (Sample s : samples) {
        assertThat(s.clientPending())
            .as("calls pending in the client at %s", s)
            .isLessThanOrEqualTo(SYNC_CALLERS + ASYNC_OUTSTANDING);
        assertThat(s.serverInFlight())
            .as("calls in flight in the server at %s", s)
            .isLessThanOrEqualTo(SYNC_CALLERS + ASYNC_OUTSTANDING + REST_CALLERS);
      }
      assertThat(last.threads()).isLessThanOrEqualTo(warm.threads() + THREAD_TOLERANCE);
      assertThat(last.pooledDirectBytes())
          .isLessThanOrEqualTo(warm.pooledDirectBytes() + MEMORY_TOLERANCE_BYTES);
      assertThat(last.pooledHeapBytes())
          .isLessThanOrEqualTo(warm.pooledHeapBytes() + MEMORY_TOLERANCE_BYTES);
    } finally {
      stop.set(true);
      callers.shutdownNow();
      httpThreads.shutdownNow();
      assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private void blockingCalls(CallsService calls) {
    Pacer pacer = new Pacer(SYNC_INTERVAL_NANOS);
    for (int i = 0; !stop.get(); i++) {
      pacer.awaitNextTick();
      int size = SIZES[i % SIZES.length];
      long start = System.nanoTime();
      try {
        switch (i % 3) {
          case 0 -> expect("echo", calls.echo(texts.get(i % SIZES.length)).length(), size);
          case 1 -> expect("sized", calls.sized(size).length(), size);
          default -> expect("people", calls.people(size / 512).size(), size / 512);
        }
        latencies.add(System.nanoTime() - start);
        syncCalls.incrementAndGet();
      } catch (RuntimeException e) {
        error("blocking call " + i + ": " + e);
      }
    }
  }

  private void asyncCalls(CallsService calls, Semaphore outstanding) {
    Pacer pacer = new Pacer(ASYNC_INTERVAL_NANOS);
    for (int i = 0; !stop.get(); i++) {
      pacer.awaitNextTick();
      try {
        if (!outstanding.tryAcquire(10, TimeUnit.SECONDS)) {
          error("asynchronous calls stopped answering");
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      String text = texts.get(i % SIZES.length);
      long start = System.nanoTime();
      int call = i;
      calls
          .echoAsync(text)
          .whenComplete(
              (answer, failure) -> {
                if (failure != null) {
                  error("asynchronous call " + call + ": " + failure);
                } else if (!text.equals(answer)) {
                  error("asynchronous call " + call + " answered another text");
                } else {
                  latencies.add(System.nanoTime() - start);
                  asyncCalls.incrementAndGet();
                }
                outstanding.release();
              });
    }
  }

  private void restCalls(HttpClient http, URI echo) {
    Pacer pacer = new Pacer(REST_INTERVAL_NANOS);
    for (int i = 0; !stop.get(); i++) {
      pacer.awaitNextTick();
      String text = texts.get(i % SIZES.length);
      HttpRequest request =
          HttpRequest.newBuilder(echo)
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(10))
              .POST(BodyPublishers.ofString("[\"" + text + "\"]"))
              .build();
      long start = System.nanoTime();
      try {
        HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().equals("\"" + text + "\"")) {
          error(
              "REST call " + i + ": " + response.statusCode() + " " + abbreviate(response.body()));
        } else {
          latencies.add(System.nanoTime() - start);
          restCalls.incrementAndGet();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        error("REST call " + i + ": " + e);
      }
    }
  }

  private void expect(String method, int actual, int expected) {
    if (actual != expected) {
      error(method + " answered " + actual + " instead of " + expected);
    }
  }

  private void error(String description) {
    // The first few say what went wrong; the count says how often.
    if (errorCount.incrementAndGet() <= 10) {
      errors.add(description);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
