package io.minirpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.testing.Await;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

  private WorkerPool pool;

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private WorkerPool pool(int maxThreads, int maxQueued, int parallelism) {
    pool =
        new WorkerPool(
            maxThreads, maxQueued, parallelism, new DefaultThreadFactory("pool-test", true));
    return pool;
  }

  @Test
  void runsEveryTask() throws Exception {
    WorkerPool p = pool(4, 10_000, 2);
    int tasks = 5_000;
    CountDownLatch done = new CountDownLatch(tasks);
    for (int i = 0; i < tasks; i++) {
      p.execute(done::countDown);
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void runsTasksQueuedFromManyThreads() throws Exception {
    WorkerPool p = pool(8, 100_000, 2);
    int threads = 8;
    int each = 2_000;
    CountDownLatch done = new CountDownLatch(threads * each);
    for (int t = 0; t < threads; t++) {
      new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  p.execute(done::countDown);
                }
              })
          .start();
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void blockedThreadsDoNotStarveTheTasksThatWouldReleaseThem() throws Exception {
    // Only one thread is woken for new tasks; the others must come from the stall monitor.
    WorkerPool p = pool(4, 100, 1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(3);
    for (int i = 0; i < 3; i++) {
      p.execute(
          () -> {
            try {
              if (release.await(10, TimeUnit.SECONDS)) {
                finished.countDown();
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    p.execute(release::countDown);
    assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void stallMonitorSleepsWhileNoTaskWaitsAndWakesForTheNextStall() throws Exception {
    pool = new WorkerPool(2, 10, 1, new DefaultThreadFactory("monitor-sleep-test", true));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    pool.execute(
        () -> {
          try {
            if (release.await(10, TimeUnit.SECONDS)) {
              released.countDown();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    Thread monitor =
        Thread.getAllStackTraces().keySet().stream()
            .filter(
                t ->
                    t.getName().startsWith("monitor-sleep-test")
                        && t.getName().endsWith("-monitor"))
            .findFirst()
            .orElseThrow();
    // A long task runs and nothing waits: the monitor must park without a timeout, not tick.
    Await.until(
        Duration.ofSeconds(10),
        "the monitor to sleep",
        () -> monitor.getState() == Thread.State.WAITING);
    // Parallelism 1 and one thread stuck: only the monitor, woken by this task, can start another.
    pool.execute(release::countDown);
    assertThat(released.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void fullQueueRejectsTheTask() throws Exception {
    WorkerPool p = pool(1, 1, 1);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    p.execute(
        () -> {
          running.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicInteger ran = new AtomicInteger();
    p.execute(ran::incrementAndGet);
    assertThatThrownBy(() -> p.execute(ran::incrementAndGet))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessage("the queue is full");
    release.countDown();
    Await.until(Duration.ofSeconds(10), "the queued task to run", () -> ran.get() == 1);
  }

  @Test
  void shutdownNowReturnsTheTasksThatNeverRanAndInterruptsTheRunningOnes() throws Exception {
    WorkerPool p = pool(1, 10, 1);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    p.execute(
        () -> {
          running.countDown();
          try {
            new CountDownLatch(1).await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            interrupted.countDown();
          }
        });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    Runnable queued = () -> {};
    p.execute(queued);
    List<Runnable> never = p.shutdownNow();
    assertThat(never).containsExactly(queued);
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> p.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessage("the pool is shut down");
  }
}
