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

  @Test
  void callsAreSpreadOverEveryAddressAndConnection() throws Exception {
    CallsServiceImpl first = new CallsServiceImpl();
    CallsServiceImpl second = new CallsServiceImpl();
    try (RpcServer a = RpcServer.builder().host("127.0.0.1").addService(first).build().start();
        RpcServer b = RpcServer.builder().host("127.0.0.1").addService(second).build().start();
        RpcClient client =
            RpcClient.builder()
                .addresses("127.0.0.1:" + a.port(), "127.0.0.1:" + b.port())
                .connectionsPerAddress(3)
                .build()) {
      CallsService calls = client.stub(CallsService.class);
      ExecutorService threads = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          done.add(
              threads.submit(
                  () -> {
                    for (int i = 0; i < 300; i++) {
                      assertThat(calls.add(i, 1)).isEqualTo(i + 1);
                    }
                  }));
        }
        for (Future<?> f : done) {
          f.get(1, TimeUnit.MINUTES);
        }
      } finally {
        threads.shutdownNow();
      }
      // Round robin over two providers: each gets half of the 1,200 calls.
      assertThat(first.executions("add")).isEqualTo(600);
      assertThat(second.executions("add")).isEqualTo(600);
    }
  }
}
