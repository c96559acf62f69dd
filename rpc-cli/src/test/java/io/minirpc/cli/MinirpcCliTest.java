package io.minirpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minirpc.ServerInterceptor;
import io.minirpc.health.ServingStatus;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import io.minirpc.server.RpcServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command of {@code minirpc} against a real server on 127.0.0.1, found at its address and
 * through a real ZooKeeper, run in this JVM as {@code main} runs it.
 */
class MinirpcCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestingServer zooKeeper;
  private static ZooKeeperRegistry registry;
  private static RpcServer server;
  private static String address;
  private static Instant started;
  private static final AccountsService accounts = new AccountsService();
  private static final List<String> served = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    zooKeeper = new TestingServer(true);
    registry =
        ZooKeeperRegistry.builder()
            .connectString(zooKeeper.getConnectString())
            .sessionTimeout(Duration.ofSeconds(5))
            .build();
    started = Instant.now();
    ServerInterceptor recording =
        (call, next) -> {
          served.add(
              call.service() + "/" + call.method() + " tenant=" + call.attachments().get("tenant"));
          return next.proceed(call);
        };
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .port(0)
            .weight(40)
            .registry(registry)
            .addService(accounts)
            .intercept(recording)
            .build()
            .start();
    address = "127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() throws Exception {
    accounts.release();
    if (server != null) {
      server.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (zooKeeper != null) {
      zooKeeper.close();
    }
  }

  @Test
  void listPrintsOneServiceKeyPerLine() {
    CliRun run = CliRun.of("list", "--address", address);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("test.Accounts\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void listJsonPrintsTheServersWholeListing() throws Exception {
    CliRun run = CliRun.of("list", "--json", "-a", address);

    assertThat(run.exitCode()).isZero();
    JsonNode service = JSON.readTree(run.out()).get("services").get(0);
    assertThat(service.get("name").asText()).isEqualTo("test.Accounts");
    assertThat(service.get("methods").findValuesAsText("name"))
        .containsExactly("account", "add", "record", "slow");
  }

  @Test
  void describePrintsTheServicesMethodsAsPrettyJson() throws Exception {
    CliRun run = CliRun.of("describe", "test.Accounts", "-a", address);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("{\n  \"name\" : \"test.Accounts\",\n");
    JsonNode add = JSON.readTree(run.out()).get("methods").get(1);
    assertThat(add.get("name").asText()).isEqualTo("add");
    assertThat(add.get("parameters").toString()).isEqualTo("[\"int\",\"int\"]");
    assertThat(add.get("returns").asText()).isEqualTo("int");
  }

  @Test
  void callPrintsTheResultAsPrettyJson() {
    CliRun run = CliRun.of("call", "test.Accounts/account", "[7]", "-a", address);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("{\n  \"id\" : 7,\n  \"name\" : \"account 7\"\n}\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void callOfAVoidMethodPrintsNull() {
    CliRun run = CliRun.of("call", "test.Accounts/record", "[\"audit\"]", "-a", address);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("null\n");
    assertThat(accounts.events()).contains("audit");
  }

  @Test
  void callReadsItsArgumentsFromAFileOrStandardInput(@TempDir Path dir) throws Exception {
    Path arguments = Files.writeString(dir.resolve("args.json"), "[20, 22]\n");

    assertThat(CliRun.of("call", "test.Accounts/add", "@" + arguments, "-a", address).out())
        .isEqualTo("42\n");
    assertThat(CliRun.withStdin("[1, 2]", "call", "test.Accounts/add", "-", "-a", address).out())
        .isEqualTo("3\n");
  }

  @Test
  void callSendsTheAttachmentsGiven() {
    CliRun run =
        CliRun.of("call", "test.Accounts/add", "[1, 1]", "-H", "tenant=acme", "-a", address);

    assertThat(run.exitCode()).isZero();
    assertThat(served).contains("test.Accounts/add tenant=acme");
  }

  @Test
  void callThroughZooKeeperReachesAProviderOfTheService() {
    CliRun run =
        CliRun.of(
            "call", "test.Accounts/add", "[2, 3]", "--zookeeper", zooKeeper.getConnectString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("5\n");
  }

  @Test
  void describeAndHealthThroughZooKeeperAskAProviderOfTheService() throws Exception {
    String connect = zooKeeper.getConnectString();

    CliRun describe = CliRun.of("describe", "test.Accounts", "-z", connect);
    CliRun health = CliRun.of("health", "test.Accounts", "-z", connect);

    assertThat(describe.exitCode()).isZero();
    assertThat(JSON.readTree(describe.out()).get("name").asText()).isEqualTo("test.Accounts");
    assertThat(health.exitCode()).isZero();
    assertThat(health.out()).isEqualTo("SERVING\n");
  }

  @Test
  void listThroughZooKeeperPrintsTheServicesThatHaveProviders() {
    CliRun run = CliRun.of("list", "-z", zooKeeper.getConnectString());
    CliRun json = CliRun.of("list", "--json", "-z", zooKeeper.getConnectString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("test.Accounts\n");
    assertThat(json.out()).isEqualTo("[ \"test.Accounts\" ]\n");
  }

  @Test
  void providersPrintsEachProvidersAddressWeightSerializersAndStartTime() throws Exception {
    CliRun table =
        CliRun.of("providers", "test.Accounts", "--zookeeper", zooKeeper.getConnectString());
    CliRun json =
        CliRun.of("providers", "test.Accounts", "--json", "-z", zooKeeper.getConnectString());

    assertThat(table.exitCode()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("ADDRESS +WEIGHT +SERIALIZERS +STARTED");
    assertThat(lines.get(1))
        .matches(
            address.replace(".", "\\.")
                + " +40 +kryo,json +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(json.exitCode()).isZero();
    JsonNode provider = JSON.readTree(json.out()).get(0);
    assertThat(provider.get("address").asText()).isEqualTo(address);
    assertThat(provider.get("weight").asInt()).isEqualTo(40);
    assertThat(provider.get("startTime").asLong())
        .isBetween(started.toEpochMilli() - 1, Instant.now().toEpochMilli());
  }

  @Test
  void providersOfAServiceNobodyProvidesSaysSo() {
    CliRun run = CliRun.of("providers", "test.Nobody", "-z", zooKeeper.getConnectString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("no provider of test.Nobody is registered\n");
  }

  @Test
  void healthPrintsServingThenNotServingWithItsOwnExitCode() {
    assertThat(CliRun.of("health", "-a", address)).isEqualTo(new CliRun(0, "SERVING\n", ""));
    assertThat(CliRun.of("health", "test.Accounts", "-a", address))
        .isEqualTo(new CliRun(0, "SERVING\n", ""));

    server.health().setStatus(Accounts.class, ServingStatus.NOT_SERVING);
    try {
      assertThat(CliRun.of("health", "test.Accounts", "-a", address))
          .isEqualTo(new CliRun(ExitCodes.NOT_SERVING, "NOT_SERVING\n", ""));
      assertThat(CliRun.of("health", "-a", address)).isEqualTo(new CliRun(0, "SERVING\n", ""));
    } finally {
      server.health().setStatus(Accounts.class, ServingStatus.SERVING);
    }
  }

  @Test
  void badJsonArgumentsFailInvalidArgumentAndNothingIsSent() {
    int before = served.size();

    CliRun run = CliRun.of("call", "test.Accounts/add", "[1, 2", "-a", address);
    CliRun notAnArray = CliRun.of("call", "test.Accounts/add", "{\"a\": 1}", "-a", address);

    assertThat(run.exitCode()).isEqualTo(15);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("ERROR INVALID_ARGUMENT: the arguments of test.Accounts/add are not JSON: ")
        .endsWith("; nothing was sent\n");
    assertThat(notAnArray.exitCode()).isEqualTo(15);
    assertThat(notAnArray.err())
        .isEqualTo(
            "ERROR INVALID_ARGUMENT: the arguments of test.Accounts/add must be a JSON array, one"
                + " element per parameter, not OBJECT; nothing was sent\n");
    assertThat(served).hasSize(before);
  }

  @Test
  void anUnknownServiceOrMethodFailsNotFound() {
    CliRun service = CliRun.of("call", "test.Nothing/add", "[]", "-a", address);
    CliRun method = CliRun.of("call", "test.Accounts/subtract", "[1, 2]", "-a", address);
    CliRun describe = CliRun.of("describe", "test.Nothing", "-a", address);

    assertThat(service.exitCode()).isEqualTo(14);
    assertThat(service.err()).startsWith("ERROR NOT_FOUND: ");
    assertThat(method.exitCode()).isEqualTo(14);
    assertThat(method.err()).startsWith("ERROR NOT_FOUND: ").contains("subtract");
    assertThat(describe.exitCode()).isEqualTo(14);
    assertThat(describe.err()).startsWith("ERROR NOT_FOUND: ");
  }

  @Test
  void aCallPastItsTimeoutFailsDeadlineExceeded() {
    CliRun run =
        CliRun.of("call", "test.Accounts/slow", "[10000]", "--timeout", "100ms", "-a", address);

    assertThat(run.exitCode()).isEqualTo(12);
    assertThat(run.err()).startsWith("ERROR DEADLINE_EXCEEDED: ");
  }

  @Test
  void argumentsOfTheWrongTypeFailSerialization() {
    CliRun run = CliRun.of("call", "test.Accounts/add", "[\"one\", 2]", "-a", address);

    assertThat(run.exitCode()).isEqualTo(16);
    assertThat(run.err()).startsWith("ERROR SERIALIZATION: ");
  }

  @Test
  void aServiceWithoutProvidersInZooKeeperIsUnavailable() {
    CliRun run =
        CliRun.of("call", "test.Nobody/add", "[]", "-z", zooKeeper.getConnectString(), "-t", "1s");

    assertThat(run.exitCode()).isEqualTo(13);
    assertThat(run.err())
        .isEqualTo("ERROR UNAVAILABLE: no provider of test.Nobody is registered\n");
  }

  @Test
  void aServerWithoutReflectionAnswersListAndDescribeNotFound() {
    try (RpcServer hidden =
        RpcServer.builder()
            .host("127.0.0.1")
            .port(0)
            .reflection(false)
            .addService(new AccountsService())
            .build()
            .start()) {
      String at = "127.0.0.1:" + hidden.port();

      assertThat(CliRun.of("list", "-a", at).exitCode()).isEqualTo(14);
      assertThat(CliRun.of("describe", "test.Accounts", "-a", at).err())
          .startsWith("ERROR NOT_FOUND: ");
      assertThat(CliRun.of("call", "test.Accounts/add", "[1, 2]", "-a", at).out()).isEqualTo("3\n");
    }
  }

  @Test
  void aServerThatIsNotThereIsUnavailable() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    CliRun run = CliRun.of("list", "-a", "127.0.0.1:" + closedPort, "-t", "1s");

    assertThat(run.exitCode()).isEqualTo(13);
    assertThat(run.err()).startsWith("ERROR UNAVAILABLE: ");
  }
}
