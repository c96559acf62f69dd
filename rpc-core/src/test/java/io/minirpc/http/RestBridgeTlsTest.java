package io.minirpc.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.TestCertificates;
import io.minirpc.testing.logging.LogCapture;
import io.minirpc.testing.logging.LoggedEvent;
import io.minirpc.tls.ServerTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** The REST bridge of a server with TLS speaks HTTPS only, with the server's certificate. */
class RestBridgeTlsTest {

  @TempDir static Path dir;
  private static TestCertificates pki;

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private RpcServer server;

  @BeforeAll
  static void certificates() {
    pki = TestCertificates.createIn(dir);
  }

  @BeforeEach
  void start() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .tls(ServerTls.builder().keyCertChain(pki.serverCertificate(), pki.serverKey()).build())
            .addService(impl)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static HttpClient.Builder http() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5));
  }

  private HttpRequest echo(String scheme) {
    return HttpRequest.newBuilder(
            URI.create(scheme + "://127.0.0.1:" + server.restPort() + "/test.Calls:1/echo"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10))
        .POST(BodyPublishers.ofString("[\"over https\"]"))
        .build();
  }

  @Test
  void httpsClientThatTrustsTheCaIsServed() throws Exception {
    HttpClient https = http().sslContext(pki.clientSslContext()).build();

    HttpResponse<String> response = https.send(echo("https"), BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("\"over https\"");
  }

  @Test
  void plainHttpIsAnsweredBadRequestAndTheServiceNeverRuns() throws Exception {
    try (LogCapture logs = LogCapture.start(Level.DEBUG)) {
      HttpClient plain = http().build();

      HttpResponse<String> response = plain.send(echo("http"), BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).isEqualTo("This port accepts HTTPS only.\n");
      assertThat(impl.executions("echo")).isZero();
      Await.until(
          Duration.ofSeconds(5), "the refusal logged", () -> !logs.events(Level.WARN).isEmpty());
      assertThat(logs.events(Level.WARN))
          .singleElement()
          .extracting(LoggedEvent::message)
          .asString()
          .endsWith("failed, closing the connection: the client does not speak TLS");
      assertThat(logs.events(Level.ERROR)).isEmpty();
    }
  }

  @Test
  void httpsClientThatDoesNotTrustTheCaIsRefused() {
    HttpClient https = http().build();

    assertThatThrownBy(() -> https.send(echo("https"), BodyHandlers.ofString()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("PKIX path building failed");
    assertThat(impl.executions("echo")).isZero();
  }
}
