package io.minirpc.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.http.HttpSocket.Response;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.minirpc.testing.CallsServiceImpl;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a connection to the REST bridge does beyond single calls, seen on a plain socket:
 * keep-alive, pipelining, bodies over the limit, {@code Expect: 100-continue}, and the requests
 * that end a connection.
 */
class RestConnectionTest {

  private static final int MAX_BODY = 1024;
  private static final String ADD = HttpSocket.post("/test.Calls:1/add", "[1, 2]");

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private RpcServer server;

  private int start(RpcServer.Builder builder) {
    server =
        builder
            .host("127.0.0.1")
            .restPort(0)
            .maxFrameSize(MAX_BODY)
            .addService(impl)
            .build()
            .start();
    return server.restPort();
  }

  private int start() {
    return start(RpcServer.builder());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static void assertAnswered(Response response, String body) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
  }

  @Test
  void oneConnectionServesManyRequests() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      for (int i = 0; i < 20; i++) {
        socket.write(HttpSocket.post("/test.Calls:1/echo", "[\"n" + i + "\"]"));
        Response response = socket.read();
        assertAnswered(response, "\"n" + i + "\"");
        assertThat(response.header("Connection")).isNull();
      }
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderWhenLaterOnesFinishFirst() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      socket.write(
          HttpSocket.post("/test.Calls:1/await", "[\"first\"]")
              + HttpSocket.post("/test.Calls:1/echo", "[\"second\"]")
              + ADD);
      Await.until(
          Duration.ofSeconds(5),
          "the later calls to finish",
          () -> impl.executions("echo") == 1 && impl.executions("add") == 1);
      impl.open("first");
      assertAnswered(socket.read(), "\"passed first\"");
      assertAnswered(socket.read(), "\"second\"");
      assertAnswered(socket.read(), "3");
    }
  }

  @Test
  void pipelinedRequestsRunOnTheIoThreadWithDirectExecutor() throws Exception {
    try (HttpSocket socket = new HttpSocket(start(RpcServer.builder().directExecutor()))) {
      socket.write(
          HttpSocket.post("/test.Calls:1/echo", "[\"a\"]")
              + ADD
              + HttpSocket.post("/test.Calls:1/echoAsync", "[\"c\"]")
              + HttpSocket.post("/test.Calls:1/echo", "[\"d\"]"));
      assertAnswered(socket.read(), "\"a\"");
      assertAnswered(socket.read(), "3");
      assertAnswered(socket.read(), "\"c\"");
      assertAnswered(socket.read(), "\"d\"");
    }
  }

  @Test
  void bodyOverTheLimitIsTooLargeAndTheConnectionServesTheNextRequest() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      String text = "x".repeat(MAX_BODY + 100);
      socket.write(HttpSocket.post("/test.Calls:1/echo", "[\"" + text + "\"]") + ADD);
      Response tooLarge = socket.read();
      assertThat(tooLarge.status()).isEqualTo(413);
      assertThat(tooLarge.header("Connection")).isNull();
      assertThat(tooLarge.body())
          .isEqualTo(
              "{\"code\":\"RESOURCE_EXHAUSTED\",\"message\":\"the request body declares 1128 bytes;"
                  + " this server accepts at most 1024 bytes\"}");
      assertAnswered(socket.read(), "3");
      assertThat(impl.executions("echo")).isZero();
    }
  }

  @Test
  void chunkedBodyOverTheLimitIsTooLargeAndClosesTheConnection() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      String chunk = "x".repeat(600);
      socket.write(
          "POST /test.Calls:1/echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n"
              + Integer.toHexString(chunk.length())
              + "\r\n"
              + chunk
              + "\r\n"
              + Integer.toHexString(chunk.length())
              + "\r\n"
              + chunk
              + "\r\n");
      Response tooLarge = socket.read();
      assertThat(tooLarge.status()).isEqualTo(413);
      assertThat(tooLarge.header("Connection")).isEqualTo("close");
      assertThat(tooLarge.body())
          .contains("the request body is longer than that; this server accepts at most 1024 bytes");
      assertThat(socket.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void hugeDeclaredBodyIsTooLargeAndClosesTheConnectionWithoutReadingIt() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      socket.write(
          "POST /test.Calls:1/echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              + "Content-Length: 100000000\r\n\r\n[\"");
      Response tooLarge = socket.read();
      assertThat(tooLarge.status()).isEqualTo(413);
      assertThat(tooLarge.header("Connection")).isEqualTo("close");
      assertThat(socket.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void expectContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      socket.write(
          "POST /test.Calls:1/add HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              + "Content-Length: 6\r\nExpect: 100-continue\r\n\r\n");
      assertThat(socket.read().status()).isEqualTo(100);
      socket.write("[4, 5]");
      assertAnswered(socket.read(), "9");
    }
  }

  @Test
  void expectContinueWaitsForTheAnswersBeforeIt() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      socket.write(
          HttpSocket.post("/test.Calls:1/await", "[\"gate\"]")
              + "POST /test.Calls:1/add HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              + "Content-Length: 6\r\nExpect: 100-continue\r\n\r\n");
      Await.until(
          Duration.ofSeconds(5), "the first call to run", () -> impl.executions("await") == 1);
      impl.open("gate");
      assertAnswered(socket.read(), "\"passed gate\"");
      assertThat(socket.read().status()).isEqualTo(100);
      socket.write("[4, 5]");
      assertAnswered(socket.read(), "9");
    }
  }

  @Test
  void expectContinueWithABodyOverTheLimitIsTooLargeAndClosesTheConnection() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      socket.write(
          "POST /test.Calls:1/echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              + "Content-Length: 2000\r\nExpect: 100-continue\r\n\r\n");
      Response tooLarge = socket.read();
      assertThat(tooLarge.status()).isEqualTo(413);
      assertThat(tooLarge.header("Connection")).isEqualTo("close");
      assertThat(socket.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void unsupportedExpectationFailsAndClosesTheConnection() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      socket.write(
          "POST /test.Calls:1/add HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              + "Content-Length: 6\r\nExpect: telepathy\r\n\r\n[1, 2]");
      Response failed = socket.read();
      assertThat(failed.status()).isEqualTo(417);
      assertThat(failed.body())
          .isEqualTo(
              "{\"code\":\"INVALID_ARGUMENT\",\"message\":\"unsupported expectation: telepathy\"}");
      assertThat(socket.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void requestThatAsksToCloseIsAnsweredThenTheConnectionCloses() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      socket.write(ADD.replace("Host: test\r\n", "Host: test\r\nConnection: close\r\n") + ADD);
      Response response = socket.read();
      assertAnswered(response, "3");
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(socket.isClosedByPeer()).isTrue();
    }
    assertThat(impl.executions("add")).isEqualTo(1);
  }

  @Test
  void http10RequestIsAnsweredThenTheConnectionCloses() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      socket.write(ADD.replace("HTTP/1.1", "HTTP/1.0"));
      assertAnswered(socket.read(), "3");
      assertThat(socket.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void http10KeepAliveRequestKeepsTheConnection() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      String keepAlive =
          ADD.replace("HTTP/1.1", "HTTP/1.0")
              .replace("Host: test\r\n", "Host: test\r\nConnection: keep-alive\r\n");
      socket.write(keepAlive);
      Response first = socket.read();
      assertAnswered(first, "3");
      assertThat(first.header("Connection")).isEqualTo("keep-alive");
      socket.write(keepAlive);
      assertAnswered(socket.read(), "3");
    }
  }

  @Test
  void headOfTheListingHasItsLengthButNoBody() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      socket.write("HEAD / HTTP/1.1\r\nHost: test\r\n\r\n");
      Response head = socket.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(Integer.parseInt(head.header("Content-Length"))).isGreaterThan(100);
      socket.write(ADD);
      assertAnswered(socket.read(), "3");
    }
  }

  @Test
  void malformedRequestIsABadRequestAndClosesTheConnection() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      socket.write(
          "POST /test.Calls:1/add HTTP/1.1\r\nHost: test\r\nContent-Length: many\r\n\r\n[1, 2]");
      Response response = socket.read();
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(response.body())
          .startsWith("{\"code\":\"INVALID_ARGUMENT\",\"message\":\"malformed");
      assertThat(socket.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void overlongUriIsRefusedAndClosesTheConnection() throws Exception {
    try (HttpSocket socket = new HttpSocket(start())) {
      socket.write("GET /" + "x".repeat(5000) + " HTTP/1.1\r\nHost: test\r\n\r\n");
      Response response = socket.read();
      assertThat(response.status()).isEqualTo(414);
      assertThat(socket.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void closeClosesIdleConnectionsAtOnce() throws Exception {
    try (HttpSocket socket = new HttpSocket(start(RpcServer.builder()))) {
      socket.write(ADD);
      assertAnswered(socket.read(), "3");
      long start = System.nanoTime();
      server.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(socket.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void closeLetsTheCallInFlightAnswerThenClosesItsConnection() throws Exception {
    try (HttpSocket socket = new HttpSocket(start(RpcServer.builder()))) {
      socket.write(HttpSocket.post("/test.Calls:1/await", "[\"closing\"]"));
      Await.until(Duration.ofSeconds(5), "the call to run", () -> impl.executions("await") == 1);
      Thread closer = new Thread(server::close);
      closer.start();
      // The server stops accepting first; the call in flight still answers.
      Await.until(
          Duration.ofSeconds(5),
          "the server to stop accepting",
          () -> {
            try (HttpSocket refused = new HttpSocket(server.restPort())) {
              return false;
            } catch (java.io.IOException e) {
              return true;
            }
          });
      // close() waits for the calls in flight (a timed wait) only once it has queued the going-away
      // notice on every connection's event loop, where the call's answer will queue after it.
      Await.until(
          Duration.ofSeconds(5),
          "close() to wait for the call in flight",
          () -> closer.getState() == Thread.State.TIMED_WAITING);
      impl.open("closing");
      Response response = socket.read();
      assertAnswered(response, "\"passed closing\"");
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(socket.isClosedByPeer()).isTrue();
      closer.join(10_000);
      assertThat(closer.isAlive()).isFalse();
    }
  }

  private static final Duration IDLE = Duration.ofMillis(300);

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (HttpSocket socket = new HttpSocket(start(RpcServer.builder().idleTimeout(IDLE)))) {
      long sent = System.nanoTime();
      socket.write(ADD);
      assertAnswered(socket.read(), "3");

      assertThat(socket.isClosedByPeer()).isTrue();
      // The server counts the idle time from when it read the request, after it was sent.
      assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(IDLE);
    }
  }

  @Test
  void aConnectionWaitingForItsAnswerOutlivesTheIdleTimeout() throws Exception {
    try (HttpSocket socket = new HttpSocket(start(RpcServer.builder().idleTimeout(IDLE)))) {
      socket.write(HttpSocket.post("/test.Calls:1/await", "[\"slow\"]"));
      Await.until(Duration.ofSeconds(5), "the call to run", () -> impl.executions("await") == 1);
      long sent = System.nanoTime();
      // The condition is time itself: several idle timeouts pass while the answer is owed.
      Await.until(
          Duration.ofSeconds(5),
          "three idle timeouts to pass",
          () -> System.nanoTime() - sent > 3 * IDLE.toNanos());
      impl.open("slow");

      assertAnswered(socket.read(), "\"passed slow\"");
      assertThat(socket.isClosedByPeer()).isTrue();
    }
  }

  @Test
  void aRequestThatStopsArrivingHalfWayIsAnswered408AndItsConnectionClosed() throws Exception {
    try (HttpSocket socket = new HttpSocket(start(RpcServer.builder().idleTimeout(IDLE)))) {
      socket.write(
          "POST /test.Calls:1/add HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              + "Content-Length: 10\r\n\r\n[1,");

      Response response = socket.read();

      assertThat(response.status()).isEqualTo(408);
      assertThat(response.body())
          .contains("DEADLINE_EXCEEDED")
          .contains("did not arrive within the server's idle timeout");
      assertThat(socket.isClosedByPeer()).isTrue();
      assertThat(impl.executions("add")).isZero();
    }
  }
}
