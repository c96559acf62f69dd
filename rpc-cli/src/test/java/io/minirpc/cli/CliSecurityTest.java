package io.minirpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.auth.HmacAuthenticator;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.TestCertificates;
import io.minirpc.tls.ClientAuth;
import io.minirpc.tls.ServerTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code minirpc} against servers that authenticate their callers: HMAC, TLS, mutual TLS. */
class CliSecurityTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  private final List<RpcServer> servers = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void stop() {
    servers.forEach(RpcServer::close);
  }

  private String start(RpcServer.Builder builder) {
    RpcServer server = builder.host("127.0.0.1").port(0).addService(new AccountsService()).build();
    servers.add(server);
    return "127.0.0.1:" + server.start().port();
  }

  @Test
  void hmacSignedCallsPassAndAWrongSecretIsRefusedUnauthenticated() throws Exception {
    String address =
        start(
            RpcServer.builder()
                .intercept(
                    HmacAuthenticator.builder()
                        .key("billing", SECRET.getBytes(StandardCharsets.UTF_8))
                        .build()));
    Path secretFile = Files.writeString(dir.resolve("secret"), SECRET + "\n");

    CliRun signed =
        CliRun.of(
            "call",
            "test.Accounts/add",
            "[1, 2]",
            "-a",
            address,
            "--hmac-key-id",
            "billing",
            "--hmac-secret",
            SECRET);
    CliRun fromFile =
        CliRun.of(
            "list",
            "-a",
            address,
            "--hmac-key-id",
            "billing",
            "--hmac-secret-file",
            secretFile.toString());
    CliRun wrong =
        CliRun.of(
            "call",
            "test.Accounts/add",
            "[1, 2]",
            "-a",
            address,
            "--hmac-key-id",
            "billing",
            "--hmac-secret",
            "not-the-secret-0123456789");
    CliRun unsigned = CliRun.of("list", "-a", address);

    assertThat(signed).isEqualTo(new CliRun(0, "3\n", ""));
    assertThat(fromFile).isEqualTo(new CliRun(0, "test.Accounts\n", ""));
    assertThat(wrong)
        .isEqualTo(
            new CliRun(
                19,
                "",
                "ERROR UNAUTHENTICATED: credential rejected: unknown key or wrong signature\n"));
    assertThat(unsigned.exitCode()).isEqualTo(19);
    assertThat(unsigned.err()).startsWith("ERROR UNAUTHENTICATED: missing credential");
  }

  @Test
  void tlsCallsTrustTheCaGivenAndFailUnavailableWithoutIt() {
    TestCertificates pki = TestCertificates.createIn(dir);
    String address =
        start(
            RpcServer.builder()
                .tls(
                    ServerTls.builder()
                        .keyCertChain(pki.serverCertificate(), pki.serverKey())
                        .build()));

    CliRun trusted =
        CliRun.of(
            "call",
            "test.Accounts/add",
            "[2, 2]",
            "-a",
            address,
            "--cacert",
            pki.caCertificate().toString());
    CliRun jdkCas = CliRun.of("call", "test.Accounts/add", "[2, 2]", "-a", address, "--tls");
    CliRun plaintext = CliRun.of("call", "test.Accounts/add", "[2, 2]", "-a", address);

    assertThat(trusted).isEqualTo(new CliRun(0, "4\n", ""));
    assertThat(jdkCas.exitCode()).isEqualTo(13);
    assertThat(jdkCas.err()).startsWith("ERROR UNAVAILABLE: ");
    assertThat(plaintext.exitCode()).isEqualTo(13);
    assertThat(plaintext.err()).startsWith("ERROR UNAVAILABLE: ");
  }

  @Test
  void mutualTlsPresentsTheClientCertificateGiven() {
    TestCertificates pki = TestCertificates.createIn(dir);
    String address =
        start(
            RpcServer.builder()
                .tls(
                    ServerTls.builder()
                        .keyCertChain(pki.serverCertificate(), pki.serverKey())
                        .trustCertificates(pki.caCertificate())
                        .clientAuth(ClientAuth.REQUIRE)
                        .build()));
    String ca = pki.caCertificate().toString();

    CliRun withCertificate =
        CliRun.of(
            "health",
            "-a",
            address,
            "--cacert",
            ca,
            "--cert",
            pki.clientCertificate().toString(),
            "--key",
            pki.clientKey().toString());
    CliRun without = CliRun.of("health", "-a", address, "--cacert", ca);

    assertThat(withCertificate).isEqualTo(new CliRun(0, "SERVING\n", ""));
    assertThat(without.exitCode()).isEqualTo(13);
  }
}
