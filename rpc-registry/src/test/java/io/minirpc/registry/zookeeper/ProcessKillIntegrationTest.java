package io.minirpc.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.Provider;
import io.minirpc.Registry;
import io.minirpc.ServiceName;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A provider's process killed with SIGKILL under load, with calls in flight on it: the client
 * notices the closed connection by itself, long before ZooKeeper expires the dead provider's
 * session. Two providers run as real child JVMs found through a real ZooKeeper; a few caller
 * threads keep making fast idempotent and non-idempotent calls while slow ones are caught in
 * flight.
 */
@Timeout(60)
class ProcessKillIntegrationTest {

  private static final ServiceName WORK = ServiceName.of(WorkService.class);

  /** What the issue asks of calls pending on a killed provider: an answer within a second. */
  private static final Duration PENDING_CALLS_ANSWERED_WITHIN = Duration.ofSeconds(1);

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

  /** Slack for a call's end past its deadline, on a busy 2-core machine. */
  private static final Duration DEADLINE_SLACK = Duration.ofMillis(500);

  /** Long enough for a slow call to be certainly in flight when the kill comes. */
  private static final int SLOW_MILLIS = 1000;

  /**
   * The providers' sessions: the longest the test server allows, so that ZooKeeper forgets the dead
   * one seconds after the client has.
   */
  private static final Duration PROVIDER_SESSION_TIMEOUT = Duration.ofSeconds(4);

  private static final int SLOW_CALLS_CAUGHT_PER_KIND = 2;

  private static final int MAX_SLOW_PAIRS = 40;

  private static final int CALLER_THREADS = 3;

  @Test
  void killedProviderFailsItsPendingCallsAtOnceAndIdempotentCallsMoveToTheSurvivor()
      throws Exception {
    ExecutorService threads = Executors.newCachedThreadPool();
    AtomicBoolean stop = new AtomicBoolean();
    try (TestingServer zooKeeper = TestZooKeeper.server();
        ProviderProcess victim =
            ProviderProcess.start(
                "victim", zooKeeper.getConnectString(), PROVIDER_SESSION_TIMEOUT);
        ProviderProcess survivor =
            ProviderProcess.start(
                "survivor", zooKeeper.getConnectString(), PROVIDER_SESSION_TIMEOUT);
        Registry observer = TestZooKeeper.registry(zooKeeper.getConnectString());
        Registry callerRegistry = TestZooKeeper.registry(zooKeeper.getConnectString());
        RpcClient client =
            RpcClient.builder().registry(callerRegistry).timeout(CALL_TIMEOUT).build()) {
      victim.awaitReady(Duration.ofSeconds(30));
      survivor.awaitReady(Duration.ofSeconds(30));
      AtomicReference<List<Provider>> registered = new AtomicReference<>(List.of());
      Registry.Subscription subscription = observer.subscribe(WORK, registered::set);
      Await.until("both providers are registered", () -> registered.get().size() == 2);
      WorkService work = client.stub(WorkService.class);

      Queue<CallRecord> records = new ConcurrentLinkedQueue<>();
      AtomicLong ids = new AtomicLong();
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < CALLER_THREADS; t++) {
        callers.add(
            threads.submit(
                () -> {
                  while (!stop.get()) {
                    long id = ids.incrementAndGet();
                    records.add(CallRecord.of("read-" + id, true, () -> work.read("r" + id, 0)));
                    records.add(CallRecord.of("write-" + id, false, () -> work.write("w" + id, 0)));
                  }
                }));
      }
      Await.until("the load is under way", () -> records.size() > 200);

      // Slow calls, a pair at a time, until some of each kind are in flight on the victim.
      List<Future<CallRecord>> slowCalls = new ArrayList<>();
      List<String> caught = new ArrayList<>();
      for (int n = 0; n < MAX_SLOW_PAIRS && !caughtEnough(caught); n++) {
        String read = "slow-read-" + n;
        String write = "slow-write-" + n;
        Future<CallRecord> readCall =
            threads.submit(() -> CallRecord.of(read, true, () -> work.read(read, SLOW_MILLIS)));
        Future<CallRecord> writeCall =
            threads.submit(() -> CallRecord.of(write, false, () -> work.write(write, SLOW_MILLIS)));
        slowCalls.add(readCall);
        slowCalls.add(writeCall);
        Await.until(
            "the slow calls " + n + " started",
            () ->
                startedOrDone(read, readCall, victim, survivor)
                    && startedOrDone(write, writeCall, victim, survivor));
        caught = inFlightOn(victim, n + 1);
      }
      assertThat(caughtEnough(caught))
          .as("slow calls in flight on the victim: %s", caught)
          .isTrue();

      long killedAt = System.nanoTime();
      int exitCode = victim.kill();
      // 128 + 9: the JVM reports a process ended by a signal with the signal's number.
      assertThat(exitCode).as("exit code of a process killed with SIGKILL").isEqualTo(137);

      Await.until(
          "the registry drops the killed provider",
          Duration.ofSeconds(15),
          () -> registered.get().stream().noneMatch(p -> p.address().equals(victim.address())));
      long droppedAt = System.nanoTime();
      subscription.close();
      long successesAfterDrop = records.stream().filter(CallRecord::succeeded).count();
      Await.until(
          "calls go on after the registry dropped the killed provider",
          () -> records.stream().filter(CallRecord::succeeded).count() > successesAfterDrop + 200);
      stop.set(true);
      for (Future<?> caller : callers) {
        caller.get(10, TimeUnit.SECONDS);
      }
      for (Future<CallRecord> slow : slowCalls) {
        records.add(slow.get(10, TimeUnit.SECONDS));
      }

      long maxFailedMillis = 0;
      long maxRestartMillis = 0;
      int slowWritesFailed = 0;
      int slowReadsMoved = 0;
      for (CallRecord call : records) {
        assertThat(call.millis())
            .as("duration of %s, which must not outlive its deadline", call)
            .isLessThanOrEqualTo(CALL_TIMEOUT.plus(DEADLINE_SLACK).toMillis());
        if (call.idempotent()) {
          assertThat(call.failure()).as("failure of idempotent %s", call).isNull();
        } else if (call.failure() != null) {
          // Only a call in flight on the victim may fail: at once, naming it.
          assertThat(call.failure().code())
              .as("status of %s", call)
              .isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(call.failure().status().description())
              .as("message of %s", call)
              .startsWith(
                  "connection to " + victim.address() + " closed before the answer arrived");
          long failed = millisBetween(killedAt, call.endNanos());
          assertThat(failed)
              .as("time from the kill until %s failed", call)
              .isLessThan(PENDING_CALLS_ANSWERED_WITHIN.toMillis());
          maxFailedMillis = Math.max(maxFailedMillis, failed);
        }
        if (caught.contains(call.id())) {
          if (call.idempotent()) {
            // Caught on the victim, it ran again on the survivor, soon after the kill.
            assertThat(call.result()).as("answer of %s", call).isEqualTo("survivor");
            long restarted = millisBetween(killedAt, survivor.startedAt(call.id()));
            assertThat(restarted)
                .as("time from the kill until %s started again on the survivor", call)
                .isLessThan(PENDING_CALLS_ANSWERED_WITHIN.toMillis());
            maxRestartMillis = Math.max(maxRestartMillis, restarted);
            slowReadsMoved++;
          } else {
            assertThat(call.failure()).as("failure of %s", call).isNotNull();
            slowWritesFailed++;
          }
        }
      }
      assertThat(slowReadsMoved + slowWritesFailed).isEqualTo(caught.size());
      // The client did not wait for ZooKeeper to notice: every pending call was answered before
      // the registry dropped the provider.
      assertThat(Math.max(maxFailedMillis, maxRestartMillis))
          .isLessThan(millisBetween(killedAt, droppedAt));

      System.out.printf(
          "SIGKILL under load: %d calls; pending non-idempotent calls failed at most %d ms after the"
              + " kill (%d slow ones), idempotent ones restarted on the survivor at most %d ms after"
              + " it (%d slow ones); ZooKeeper dropped the provider %d ms after it%n",
          records.size(),
          maxFailedMillis,
          slowWritesFailed,
          maxRestartMillis,
          slowReadsMoved,
          millisBetween(killedAt, droppedAt));
    } finally {
      stop.set(true);
      threads.shutdownNow();
      assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static boolean startedOrDone(
      String id, Future<CallRecord> call, ProviderProcess... providers) {
    if (call.isDone()) {
      return true;
    }
    for (ProviderProcess provider : providers) {
      if (provider.startedAt(id) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first {@code pairs} pairs of slow calls that started on the provider recently enough to be
   * certainly still running there.
   */
  private static List<String> inFlightOn(ProviderProcess provider, int pairs) {
    long recent = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(SLOW_MILLIS / 2);
    List<String> inFlight = new ArrayList<>();
    for (int n = 0; n < pairs; n++) {
      for (String id : List.of("slow-read-" + n, "slow-write-" + n)) {
        Long started = provider.startedAt(id);
        if (started != null && started - recent > 0) {
          inFlight.add(id);
        }
      }
    }
    return inFlight;
  }

  private static boolean caughtEnough(List<String> caught) {
    return caught.stream().filter(id -> id.startsWith("slow-read-")).count()
            >= SLOW_CALLS_CAUGHT_PER_KIND
        && caught.stream().filter(id -> id.startsWith("slow-write-")).count()
            >= SLOW_CALLS_CAUGHT_PER_KIND;
  }

  private static long millisBetween(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }
}
