package io.minirpc.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@link Accounts} for the tests: counts its calls, and keeps {@code slow} waiting on a latch. */
public final class AccountsService implements Accounts {

  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public Account account(long id) {
    return new Account(id, "account " + id);
  }

  @Override
  public int add(int a, int b) {
    return a + b;
  }

  @Override
  public String slow(long millis) {
    try {
      release.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "done";
  }

  @Override
  public void record(String event) {
    events.add(event);
  }

  List<String> events() {
    return events;
  }

  /** Lets every {@code slow} call still waiting answer at once. */
  void release() {
    release.countDown();
  }
}
