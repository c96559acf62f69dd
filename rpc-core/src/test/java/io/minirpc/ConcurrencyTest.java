package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many threads share one client and its one connection; every answer matches its request. */
class ConcurrencyTest {

  private static final int THREADS = 16;
  private static final int CALLS = 50_000;

  @Test
  void sixteenThreadsMakeFiftyThousandCallsAndEveryAnswerMatches() throws Exception {
    try (RpcServer server =
            RpcServer.builder()
                .host("127.0.0.1")
                .addService(new CallsServiceImpl())
                .build()
                .start();
        RpcClient client =
            RpcClient.builder()
                .addresses("127.0.0.1:" + server.port())
                .timeout(Duration.ofSeconds(30))
                .build()) {
      CallsService calls = client.stub(CallsService.class);
      ExecutorService threads = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          results.add(
              threads.submit(
                  () -> {
                    int matched = 0;
                    for (int i = thread; i < CALLS; i += THREADS) {
                      String expected = "call-" + i;
                      if (i % 2 == 0) {
                        assertThat(calls.echo(expected)).isEqualTo(expected);
                      } else {
                        assertThat(calls.add(i, thread)).isEqualTo(i + thread);
                      }
                      matched++;
                    }
                    return matched;
                  }));
        }
        int total = 0;
        for (Future<Integer> f : results) {
          total += f.get(2, TimeUnit.MINUTES);
        }
        assertThat(total).isEqualTo(CALLS);
      } finally {
        threads.shutdownNow();
      }
    }
  }
}
