package io.minirpc.example;

import io.minirpc.registry.zookeeper.EmbeddedZooKeeper;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a single-node ZooKeeper on 127.0.0.1 for trying the example as separate processes, until the
 * process is stopped; its data is deleted then. Usage: {@code java -cp minirpc-example.jar
 * io.minirpc.example.ZooKeeperMain [port]} (2181 by default). For anything beyond a demo, run a
 * real ZooKeeper ensemble.
 */
public final class ZooKeeperMain {

  private ZooKeeperMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 2181;
    EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.builder().port(port).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  zooKeeper.close();
                  stopped.countDown();
                },
                "zookeeper-shutdown"));
    System.out.println("ZooKeeper listening on " + zooKeeper.connectString());
    stopped.await();
  }
}
