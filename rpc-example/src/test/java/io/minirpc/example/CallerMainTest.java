package io.minirpc.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.client.RpcClient;
import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.registry.zookeeper.EmbeddedZooKeeper;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The demo's caller against two real providers found through a real (embedded) ZooKeeper: every
 * kind of call goes right, and calls are spread over both providers.
 */
class CallerMainTest {

  @Test
  void callerFindsTwoProvidersThroughZooKeeperAndMakesEachKindOfCall() throws Exception {
    GreetingServiceImpl first = new GreetingServiceImpl();
    GreetingServiceImpl second = new GreetingServiceImpl();
    try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start();
        ZooKeeperRegistry providerRegistry =
            ZooKeeperRegistry.builder().connectString(zooKeeper.connectString()).build();
        RpcServer a =
            RpcServer.builder()
                .host("127.0.0.1")
                .registry(providerRegistry)
                .addService(first)
                .addService(new UserServiceImpl())
                .build()
                .start();
        RpcServer b =
            RpcServer.builder()
                .host("127.0.0.1")
                .registry(providerRegistry)
                .addService(second)
                .addService(new UserServiceImpl())
                .build()
                .start();
        ZooKeeperRegistry callerRegistry =
            ZooKeeperRegistry.builder().connectString(zooKeeper.connectString()).build();
        RpcClient client = RpcClient.builder().registry(callerRegistry).build()) {
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      CallerMain.run(client, new PrintStream(printed, true, StandardCharsets.UTF_8));
      String output = printed.toString(StandardCharsets.UTF_8);
      assertThat(output)
          .contains("greet(\"Ada\")                         -> Hello, Ada! (from process ")
          .contains("greetLater(\"Grace\")                  -> Hello later, Grace!")
          .contains("greetAll([Linus, Ken])               -> [Hi Linus, Hi Ken]")
          .contains(
              "greetStrictly(\"\")                    -> APPLICATION_ERROR:"
                  + " java.lang.IllegalArgumentException: a name is required")
          .contains("greetSlowly(1 s), 100 ms budget      -> DEADLINE_EXCEEDED")
          .contains("getUser(7)                           -> Doug Lea, 北京市 中关村 中关村大街1号 鼎好大厦 1605")
          .contains("listUser(2)                          -> 15 users, ids 200..214")
          .contains("10 x greet(\"caller\")");
      // Round robin: the 11 greetings are spread over both providers.
      assertThat(first.greeted() + second.greeted()).isEqualTo(11);
      assertThat(first.greeted()).isBetween(5, 6);
      Await.until(
          Duration.ofSeconds(5),
          "the one-way call to arrive",
          () -> first.remembered() + second.remembered() == 1);
    }
  }
}
