package io.minirpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallPermitsTest {

  @Test
  void permitsBeyondTheLimitWaitAndAreHandedOverInOrder() {
    CallPermits permits = new CallPermits(2);
    assertThat(permits.acquire()).isDone();
    assertThat(permits.acquire()).isDone();
    CompletableFuture<Void> first = permits.acquire();
    CompletableFuture<Void> second = permits.acquire();
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();

    permits.release();
    assertThat(first).isCompleted();
    assertThat(second).isNotDone();
  }

  @Test
  void cancelledWaiterIsSkipped() {
    CallPermits permits = new CallPermits(1);
    permits.acquire();
    CompletableFuture<Void> gaveUp = permits.acquire();
    CompletableFuture<Void> waiting = permits.acquire();
    assertThat(gaveUp.cancel(false)).isTrue();

    permits.release();
    assertThat(waiting).isCompleted();
    permits.release();
    // The permit went back to the pool: the next comer takes it at once.
    assertThat(permits.acquire()).isCompleted();
  }

  @Test
  void manyThreadsNeverHoldMoreThanTheLimitAndNoneIsLeftWaiting() throws Exception {
    CallPermits permits = new CallPermits(3);
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger mostHeld = new AtomicInteger();
    int threads = 8;
    int rounds = 2_000;
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < rounds; i++) {
                  permits.acquire().join();
                  mostHeld.accumulateAndGet(holding.incrementAndGet(), Math::max);
                  holding.decrementAndGet();
                  permits.release();
                }
                done.countDown();
              });
      thread.setDaemon(true);
      all.add(thread);
      thread.start();
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).as("every thread done").isTrue();
    assertThat(mostHeld.get()).isLessThanOrEqualTo(3);
    assertThat(permits.acquire()).isCompleted();
  }
}
