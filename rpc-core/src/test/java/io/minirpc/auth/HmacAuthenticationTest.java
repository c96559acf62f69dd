package io.minirpc.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minirpc.Attachments;
import io.minirpc.ClientInterceptor;
import io.minirpc.Deadline;
import io.minirpc.RpcException;
import io.minirpc.ServerCallContext;
import io.minirpc.ServerInterceptor;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.health.Health;
import io.minirpc.health.ServingStatus;
import io.minirpc.internal.call.ServerCallContexts;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.CallsService;
import io.minirpc.testing.CallsServiceImpl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shared-secret authentication end to end, over the minirpc protocol and the REST bridge: only a
 * call signed with a known key, for its own method, at about the right time, runs the service.
 */
class HmacAuthenticationTest {

  private static final byte[] SECRET = bytes("0123456789abcdef0123456789abcdef");
  private static final byte[] OTHER_SECRET = bytes("fedcba9876543210fedcba9876543210");
  private static final String MISSING =
      "missing credential: this server requires an 'authorization' attachment (the Authorization"
          + " header over REST) of the MINIRPC-HMAC-SHA256 scheme";

  /** The rest of a chain that serves every call it is given. */
  private static final ServerInterceptor.Next PROCEED =
      call -> CompletableFuture.completedFuture("served");

  private final CallsServiceImpl impl = new CallsServiceImpl();
  private final List<RpcClient> clients = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private RpcServer server;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @BeforeEach
  void start() {
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .addService(impl)
            .intercept(
                HmacAuthenticator.builder()
                    .key("billing", SECRET)
                    .maxClockSkew(Duration.ofMinutes(5))
                    .build())
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    clients.forEach(RpcClient::close);
    server.close();
  }

  private CallsService stub(ClientInterceptor... interceptors) {
    RpcClient client =
        RpcClient.builder().addresses("127.0.0.1:" + server.port()).intercept(interceptors).build();
    clients.add(client);
    return client.stub(CallsService.class);
  }

  private static Status failureOf(Runnable call) {
    return catchThrowableOfType(RpcException.class, call::run).status();
  }

  @Test
  void goodCredentialRunsTheService() {
    CallsService calls = stub(HmacCredentials.of("billing", SECRET));

    assertThat(calls.add(40, 2)).isEqualTo(42);
    assertThat(calls.echoAsync("async").join()).isEqualTo("async");
    assertThat(impl.executions("add")).isEqualTo(1);
  }

  @Test
  void callWithoutCredentialIsUnauthenticatedAndNeverRuns() {
    CallsService calls = stub();

    assertThat(failureOf(() -> calls.add(40, 2)))
        .isEqualTo(Status.UNAUTHENTICATED.withDescription(MISSING));
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void unknownKeyIsUnauthenticated() {
    CallsService calls = stub(HmacCredentials.of("marketing", SECRET));

    assertThat(failureOf(() -> calls.add(40, 2)))
        .isEqualTo(Status.UNAUTHENTICATED.withDescription(HmacAuthenticator.REJECTED));
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void wrongSecretIsUnauthenticated() {
    CallsService calls = stub(HmacCredentials.of("billing", OTHER_SECRET));

    assertThat(failureOf(() -> calls.add(40, 2)))
        .isEqualTo(Status.UNAUTHENTICATED.withDescription(HmacAuthenticator.REJECTED));
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void signatureOfAnotherMethodIsUnauthenticated() {
    HmacCredentials credentials = HmacCredentials.of("billing", SECRET);
    // A credential captured from a call of echo, replayed on add.
    CallsService calls =
        stub(
            (request, next) ->
                next.proceed(
                    request.withAttachment(
                        "authorization", credentials.authorization(request.service(), "echo"))));

    assertThat(failureOf(() -> calls.add(40, 2)))
        .isEqualTo(Status.UNAUTHENTICATED.withDescription(HmacAuthenticator.REJECTED));
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void tamperedSignatureIsUnauthenticated() {
    HmacCredentials credentials = HmacCredentials.of("billing", SECRET);
    CallsService calls =
        stub(
            (request, next) -> {
              String good = credentials.authorization(request.service(), request.method());
              // Not the last character, whose unused bits would leave the signature's bytes.
              int at = good.length() - 2;
              char changed = good.charAt(at) == 'A' ? 'B' : 'A';
              String bad = good.substring(0, at) + changed + good.substring(at + 1);
              return next.proceed(request.withAttachment("authorization", bad));
            });

    assertThat(failureOf(() -> calls.add(40, 2)))
        .isEqualTo(Status.UNAUTHENTICATED.withDescription(HmacAuthenticator.REJECTED));
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void anotherSpellingOfTheRightSignatureIsRefused() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    HmacCredentials credentials = HmacCredentials.of("billing", SECRET);
    CallsService calls =
        stub(
            (request, next) -> {
              String good = credentials.authorization(request.service(), request.method());
              // The last of the 43 characters of a 32-byte signature carries 2 unused bits:
              // flipping one leaves the decoded bytes, and so the signature, as they were.
              char last = good.charAt(good.length() - 1);
              char respelled = alphabet.charAt(alphabet.indexOf(last) ^ 1);
              String other = good.substring(0, good.length() - 1) + respelled;
              return next.proceed(request.withAttachment("authorization", other));
            });

    assertThat(failureOf(() -> calls.add(40, 2)).code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void expiredTimestampIsUnauthenticated() {
    Clock tenMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
    CallsService calls = stub(HmacCredentials.of("billing", SECRET, tenMinutesAgo));

    Status status = failureOf(() -> calls.add(40, 2));

    assertThat(status.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    // 600 s, or 601 when the second turns between signing and checking.
    assertThat(status.description())
        .matches(
            "credential expired: its timestamp is 60[01] s away from the server's clock, over"
                + " the 300 s allowed; sign each call afresh, and check the caller's clock");
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void timestampFromTheFutureBeyondTheSkewIsUnauthenticated() {
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6));
    CallsService calls = stub(HmacCredentials.of("billing", SECRET, ahead));

    assertThat(failureOf(() -> calls.add(40, 2)).description()).startsWith("credential expired:");
  }

  @Test
  void timestampWithinTheSkewIsAccepted() {
    Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-4));

    assertThat(stub(HmacCredentials.of("billing", SECRET, behind)).add(1, 1)).isEqualTo(2);
  }

  @Test
  void credentialOfAnotherSchemeIsMalformed() {
    CallsService calls =
        stub(
            (request, next) -> next.proceed(request.withAttachment("authorization", "Bearer abc")));

    assertThat(failureOf(() -> calls.add(40, 2)))
        .isEqualTo(
            Status.UNAUTHENTICATED.withDescription(
                "malformed credential: expected 'MINIRPC-HMAC-SHA256 key=<key id>, ts=<unix"
                    + " seconds>, nonce=<random>, sig=<base64url signature>'"));
  }

  private HttpResponse<String> restAdd(String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.restPort() + "/test.Calls:1/add"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(BodyPublishers.ofString("[40, 2]"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  @Test
  void restCallWithoutAuthorizationHeaderIsAnswered401() throws Exception {
    HttpResponse<String> response = restAdd(null);

    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode error = new ObjectMapper().readTree(response.body());
    assertThat(error.get("code").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(error.get("message").asText()).isEqualTo(MISSING);
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void restCallWithWrongSignatureIsAnswered401() throws Exception {
    String wrong = HmacCredentials.of("billing", OTHER_SECRET).authorization("test.Calls:1", "add");

    HttpResponse<String> response = restAdd(wrong);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(new ObjectMapper().readTree(response.body()).get("message").asText())
        .isEqualTo(HmacAuthenticator.REJECTED);
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void restCallSignedLikeAnRpcCallIsAnswered200() throws Exception {
    String authorization =
        HmacCredentials.of("billing", SECRET).authorization("test.Calls:1", "add");

    HttpResponse<String> response = restAdd(authorization);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("42");
    assertThat(impl.executions("add")).isEqualTo(1);
  }

  @Test
  void credentialHasTheDocumentedForm() {
    String value = HmacCredentials.of("billing", SECRET).authorization("test.Calls:1", "add");

    assertThat(value)
        .matches(
            "MINIRPC-HMAC-SHA256 key=billing, ts=[0-9]+, nonce=[A-Za-z0-9_-]{22},"
                + " sig=[A-Za-z0-9_-]{43}");
  }

  @Test
  void signatureMatchesTheDocumentedStringToSign() throws Exception {
    // The example of docs/SECURITY.md, computed with the JDK alone as a REST caller would.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
    byte[] expected =
        mac.doFinal(bytes("MINIRPC-HMAC-SHA256\nbilling\n1700000000\nn0nce\ntest.Calls:1\nadd"));

    assertThat(
            HmacSignature.sign(
                SECRET,
                HmacSignature.stringToSign(
                    "billing", 1_700_000_000L, "n0nce", "test.Calls:1", "add")))
        .isEqualTo(expected);
  }

  @Test
  void replayedCredentialIsUnauthenticatedWhenReplaysAreRejected() {
    HmacAuthenticator authenticator =
        HmacAuthenticator.builder().key("billing", SECRET).rejectReplays(2).build();
    String credential = HmacCredentials.of("billing", SECRET).authorization("test.Calls:1", "add");
    ServerCallContext call =
        ServerCallContexts.create(
            "test.Calls:1",
            "add",
            Attachments.EMPTY.with("authorization", credential),
            null,
            Deadline.after(Duration.ofSeconds(1)));

    authenticator.interceptCall(call, PROCEED);
    RpcException e =
        catchThrowableOfType(RpcException.class, () -> authenticator.interceptCall(call, PROCEED));

    assertThat(e.status())
        .isEqualTo(
            Status.UNAUTHENTICATED.withDescription(
                "credential already used: sign each call afresh, with a new nonce"));
  }

  @Test
  void rememberedNoncesAreBoundedAndFreshCallsStillPass() {
    HmacAuthenticator authenticator =
        HmacAuthenticator.builder().key("billing", SECRET).rejectReplays(2).build();
    HmacCredentials credentials = HmacCredentials.of("billing", SECRET);
    Supplier<ServerCallContext> freshCall =
        () ->
            ServerCallContexts.create(
                "test.Calls:1",
                "add",
                Attachments.EMPTY.with(
                    "authorization", credentials.authorization("test.Calls:1", "add")),
                null,
                Deadline.after(Duration.ofSeconds(1)));

    authenticator.interceptCall(freshCall.get(), PROCEED);
    authenticator.interceptCall(freshCall.get(), PROCEED);
    RpcException e =
        catchThrowableOfType(
            RpcException.class, () -> authenticator.interceptCall(freshCall.get(), PROCEED));

    assertThat(e.status())
        .isEqualTo(
            Status.RESOURCE_EXHAUSTED.withDescription(
                "too many calls within the credential window to check them for replays; try"
                    + " again later"));
  }

  @Test
  void clientWithFreshCredentialsPassesReplayRejection() {
    server.close();
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .addService(impl)
            .intercept(
                HmacAuthenticator.builder().key("billing", SECRET).rejectReplays(10_000).build())
            .build()
            .start();
    CallsService calls = stub(HmacCredentials.of("billing", SECRET));

    for (int i = 0; i < 20; i++) {
      assertThat(calls.add(i, 1)).isEqualTo(i + 1);
    }
  }

  @Test
  void goodCredentialProceedsWithTheSameCallAndRefusedOneNeverDoes() {
    HmacAuthenticator authenticator = HmacAuthenticator.builder().key("billing", SECRET).build();
    List<ServerCallContext> proceeded = new CopyOnWriteArrayList<>();
    ServerInterceptor.Next next =
        call -> {
          proceeded.add(call);
          return CompletableFuture.completedFuture("served");
        };
    ServerCallContext signed =
        call("add", HmacCredentials.of("billing", SECRET).authorization("test.Calls:1", "add"));
    ServerCallContext forEcho =
        call("add", HmacCredentials.of("billing", SECRET).authorization("test.Calls:1", "echo"));
    ServerCallContext unknownKey =
        call("add", HmacCredentials.of("marketing", SECRET).authorization("test.Calls:1", "add"));

    assertThat(authenticator.interceptCall(signed, next).join()).isEqualTo("served");
    assertThat(
            catchThrowableOfType(
                    RpcException.class, () -> authenticator.interceptCall(forEcho, next))
                .status())
        .isEqualTo(Status.UNAUTHENTICATED.withDescription(HmacAuthenticator.REJECTED));
    assertThat(
            catchThrowableOfType(
                    RpcException.class, () -> authenticator.interceptCall(unknownKey, next))
                .status())
        .isEqualTo(Status.UNAUTHENTICATED.withDescription(HmacAuthenticator.REJECTED));
    assertThat(proceeded).containsExactly(signed);
  }

  private static ServerCallContext call(String method, String authorization) {
    return ServerCallContexts.create(
        "test.Calls:1", method, Attachments.EMPTY.with("authorization", authorization), null, null);
  }

  @Test
  void restServiceListingWithoutAuthorizationIsAnswered401() throws Exception {
    HttpResponse<String> response = restListing(null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(new ObjectMapper().readTree(response.body()).get("message").asText())
        .isEqualTo(MISSING);
  }

  @Test
  void restServiceListingSignedForTheReflectionServiceIsAnswered200() throws Exception {
    String authorization =
        HmacCredentials.of("billing", SECRET)
            .authorization(ServerInterceptor.REFLECTION_SERVICE, "listServices");

    HttpResponse<String> response = restListing(authorization);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(new ObjectMapper().readTree(response.body()).get("services")).hasSize(1);
  }

  private HttpResponse<String> restListing(String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.restPort() + "/"))
            .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  private Health healthStub(ClientInterceptor... interceptors) {
    RpcClient client =
        RpcClient.builder().addresses("127.0.0.1:" + server.port()).intercept(interceptors).build();
    clients.add(client);
    return client.stub(Health.class);
  }

  private HttpResponse<String> restHealth(String path, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.restPort() + path))
            .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  @Test
  void unsignedHealthCheckPassesOnBothPortsWhileUnsignedCallsAreStillRefused() throws Exception {
    assertThat(healthStub().check("test.Calls:1")).isEqualTo(ServingStatus.SERVING);
    assertThat(restHealth("/health", null).statusCode()).isEqualTo(200);
    assertThat(restHealth("/health/test.Calls:1", null).statusCode()).isEqualTo(200);

    assertThat(failureOf(() -> stub().add(40, 2)))
        .isEqualTo(Status.UNAUTHENTICATED.withDescription(MISSING));
    assertThat(restAdd(null).statusCode()).isEqualTo(401);
    assertThat(restListing(null).statusCode()).isEqualTo(401);
    assertThat(impl.executions("add")).isZero();
  }

  @Test
  void unsignedHealthCheckOfAnUnknownServiceIsNotFound() throws Exception {
    assertThat(failureOf(() -> healthStub().check("test.Nope")).code())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(restHealth("/health/test.Nope", null).statusCode()).isEqualTo(404);
  }

  @Test
  void healthCheckWithABadCredentialIsCheckedLikeAnyCall() throws Exception {
    Health health = healthStub(HmacCredentials.of("billing", OTHER_SECRET));

    assertThat(failureOf(() -> health.check("")))
        .isEqualTo(Status.UNAUTHENTICATED.withDescription(HmacAuthenticator.REJECTED));
    assertThat(restHealth("/health", "MINIRPC-HMAC-SHA256 nonsense").statusCode()).isEqualTo(401);
  }

  @Test
  void healthChecksMustBeSignedWhenRequired() throws Exception {
    server.close();
    server =
        RpcServer.builder()
            .host("127.0.0.1")
            .restPort(0)
            .addService(impl)
            .intercept(
                HmacAuthenticator.builder()
                    .key("billing", SECRET)
                    .requireSignedHealthChecks()
                    .build())
            .build()
            .start();

    assertThat(failureOf(() -> healthStub().check("")))
        .isEqualTo(Status.UNAUTHENTICATED.withDescription(MISSING));
    HttpResponse<String> unsigned = restHealth("/health", null);
    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(new ObjectMapper().readTree(unsigned.body()).get("message").asText())
        .isEqualTo(MISSING);

    assertThat(healthStub(HmacCredentials.of("billing", SECRET)).check(""))
        .isEqualTo(ServingStatus.SERVING);
    String authorization =
        HmacCredentials.of("billing", SECRET).authorization(Health.SERVICE, "check");
    assertThat(restHealth("/health", authorization).statusCode()).isEqualTo(200);
  }

  @Test
  void shortSecretIsRefusedAtBuild() {
    assertThatThrownBy(() -> HmacAuthenticator.builder().key("k", bytes("short")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a secret must have at least 16 bytes (32 random bytes recommended), not 5");
    assertThatThrownBy(() -> HmacCredentials.of("bad id", SECRET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a key id is 1 to 128 ASCII letters, digits, '-', '_', '.' or ':', not 'bad id'");
  }
}
