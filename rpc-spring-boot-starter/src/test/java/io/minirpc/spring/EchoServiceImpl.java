package io.minirpc.spring;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Echoes; {@link #hold} waits until {@link #open()} (30 seconds at most). */
public class EchoServiceImpl implements EchoService {

  private final CountDownLatch gate = new CountDownLatch(1);

  @Override
  public String echo(String text) {
    return "echo " + text;
  }

  @Override
  public String hold(String text) {
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the gate was never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return "held " + text;
  }

  public void open() {
    gate.countDown();
  }
}
