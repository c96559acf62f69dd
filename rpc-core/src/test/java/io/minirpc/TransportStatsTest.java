package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minirpc.client.RpcClient;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import io.minirpc.testing.TestCertificates;
import io.minirpc.tls.ClientTls;
import io.minirpc.tls.ServerTls;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RpcServer#transportStats()}, {@link RpcServer#restTransportStats()} and {@link
 * RpcClient#transportStats()} over real sockets: both ends of a connection count the same bytes,
 * TLS records included, and the connections they have open.
 */
class TransportStatsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private RpcServer start(RpcServer.Builder builder) {
    RpcServer server = builder.host("127.0.0.1").addService(impl).build().start();
    open.add(server);
    return server;
  }

  private RpcClient client(RpcServer server, ClientTls tls) {
    RpcClient.Builder builder = RpcClient.builder().addresses("127.0.0.1:" + server.port());
    if (tls != null) {
      builder.tls(tls);
    }
    RpcClient client = builder.build();
    open.add(client);
    return client;
  }

  /** Waits until both ends have counted every byte the other sent: they are the same bytes. */
  private static void awaitSameBytes(TransportStats server, TransportStats client) {
    Await.until(
        WAIT,
        "both ends to count the same bytes (server " + server + ", client " + client + ")",
        () ->
            server.bytesReceived() == client.bytesSent()
                && server.bytesSent() == client.bytesReceived());
  }

  @Test
  void bothEndsCountTheSameBytesAndTheirConnections() {
    RpcServer server = start(RpcServer.builder());
    RpcClient client = client(server, null);
    TransportStats served = server.transportStats();
    TransportStats calling = client.transportStats();
    assertThat(served.openConnections()).isZero();
    assertThat(calling.bytesSent()).isZero();

    CallsService calls = client.stub(CallsService.class);
    int n = 20;
    for (int i = 0; i < n; i++) {
      calls.echo("hi " + i);
    }
    awaitSameBytes(served, calling);

    // Every request and answer is a frame: a header and a body of more than the text.
    assertThat(calling.bytesSent()).isGreaterThan(n * (FrameHeader.SIZE + 4L));
    assertThat(calling.bytesReceived()).isGreaterThan(n * (FrameHeader.SIZE + 4L));
    assertThat(served.protocol()).isEqualTo("minirpc");
    assertThat(calling.protocol()).isEqualTo("minirpc");
    assertThat(served.openConnections()).isEqualTo(1);
    assertThat(calling.openConnections()).isEqualTo(1);

    long answeredBefore = served.bytesSent();
    calls.sized(100_000);
    awaitSameBytes(served, calling);
    assertThat(served.bytesSent() - answeredBefore).isGreaterThan(100_000);

    client.close();
    Await.until(
        WAIT, "the server to count the connection closed", () -> served.openConnections() == 0);
    assertThat(calling.openConnections()).isZero();
    awaitSameBytes(served, calling);
  }

  @Test
  void restPortCountsItsOwnConnectionsAndEveryByteOfTheHttpExchange() throws Exception {
    RpcServer server = start(RpcServer.builder().restPort(0));
    byte[] request =
        ("POST /test.Calls:1/echo HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\n"
                + "Connection: close\r\n"
                + "Content-Length: 6\r\n"
                + "\r\n"
                + "[\"hi\"]")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] response;
    try (Socket socket = new Socket("127.0.0.1", server.restPort())) {
      socket.setSoTimeout(5_000);
      // Before the request: the server closes the connection as soon as it has answered it.
      Await.until(
          WAIT,
          "the REST port to count the connection",
          () -> server.restTransportStats().openConnections() == 1);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      // The server closes the connection after its answer, so this reads all of it.
      response = in.readAllBytes();
    }
    TransportStats rest = server.restTransportStats();
    assertThat(new String(response, StandardCharsets.UTF_8))
        .startsWith("HTTP/1.1 200")
        .endsWith("\"hi\"");
    Await.until(
        WAIT, "the REST port to count the connection closed", () -> rest.openConnections() == 0);
    assertThat(rest.protocol()).isEqualTo("http");
    assertThat(rest.bytesReceived()).isEqualTo(request.length);
    assertThat(rest.bytesSent()).isEqualTo(response.length);
    assertThat(server.transportStats().bytesReceived()).isZero();
  }

  @Test
  void restTransportStatsOfAServerWithoutTheBridgeSaysHowToEnableIt() {
    RpcServer server = start(RpcServer.builder());
    assertThatThrownBy(server::restTransportStats)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the REST bridge is not enabled; enable it with RpcServer.builder().restPort(..)");
  }

  @Test
  void tlsRecordsAndTheHandshakeCountAsWireBytes(@TempDir Path dir) {
    TestCertificates pki = TestCertificates.createIn(dir);
    RpcServer server =
        start(
            RpcServer.builder()
                .tls(
                    ServerTls.builder()
                        .keyCertChain(pki.serverCertificate(), pki.serverKey())
                        .build()));
    RpcClient client =
        client(server, ClientTls.builder().trustCertificates(pki.caCertificate()).build());

    client.stub(CallsService.class).echo("hi");
    awaitSameBytes(server.transportStats(), client.transportStats());

    // A plain echo answer is a few dozen bytes; the server's certificate alone is hundreds.
    assertThat(client.transportStats().bytesReceived()).isGreaterThan(500);
    assertThat(server.transportStats().openConnections()).isEqualTo(1);
  }
}
