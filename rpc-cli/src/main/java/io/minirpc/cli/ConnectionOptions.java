package io.minirpc.cli;

import io.minirpc.CallOptions;
import io.minirpc.ServiceName;
import io.minirpc.auth.HmacCredentials;
import io.minirpc.client.RpcClient;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.tls.ClientTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.curator.retry.RetryNTimes;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that say which server a command talks to and how: an address or ZooKeeper, the
 * timeout, TLS, an HMAC credential and attachments. Mixed into every command that calls a server.
 */
final class ConnectionOptions {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Target target;

  /** Where the server is: one of the two. */
  static final class Target {
    @Option(
        names = {"-a", "--address"},
        paramLabel = "HOST:PORT",
        converter = AddressConverter.class,
        description = "Talk to the server at this address.")
    String address;

    @Option(
        names = {"-z", "--zookeeper"},
        paramLabel = "CONNECT",
        description =
            "Find the server through this ZooKeeper ensemble (host:port[,host:port...]): a"
                + " provider of the service, chosen as a client would choose it.")
    String zooKeeper;
  }

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "DURATION",
      defaultValue = "3s",
      converter = DurationConverter.class,
      description =
          "The call's deadline, also the longest wait to connect: 500ms, 2s, 1m (default: 3s).")
  private Duration timeout;

  @Option(
      names = "--tls",
      description = "Connect over TLS, trusting the JDK's CAs unless --cacert is given.")
  private boolean tls;

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      description = "Trust the CA certificates of this PEM file for the server's (implies --tls).")
  private Path caCertificates;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description =
          "Present this PEM certificate chain, for mutual TLS (with --key; implies --tls).")
  private Path certificate;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "The PKCS#8 PEM private key of --cert.")
  private Path key;

  @Option(
      names = "--server-name",
      paramLabel = "NAME",
      description =
          "The name the server's certificate must carry, when it is not the host connected to"
              + " (implies --tls).")
  private String serverName;

  @Option(
      names = "--hmac-key-id",
      paramLabel = "ID",
      description = "Sign every call with HMAC under this key id (with a secret).")
  private String hmacKeyId;

  @ArgGroup(exclusive = true)
  private Secret secret;

  /** The HMAC secret: given as text or in a file. */
  static final class Secret {
    @Option(
        names = "--hmac-secret",
        paramLabel = "SECRET",
        description =
            "The HMAC secret, as UTF-8 text (other users may see it in the process list: prefer"
                + " --hmac-secret-file).")
    String text;

    @Option(
        names = "--hmac-secret-file",
        paramLabel = "FILE",
        description = "The HMAC secret: the file's bytes, less one final line break.")
    Path file;
  }

  @Option(
      names = {"-H", "--attachment"},
      paramLabel = "KEY=VALUE",
      description = "Send this attachment with the call; repeatable.")
  private Map<String, String> attachments = new LinkedHashMap<>();

  /** Whether the server is to be found through ZooKeeper rather than at an address. */
  boolean viaZooKeeper() {
    return target.zooKeeper != null;
  }

  Duration timeout() {
    return timeout;
  }

  /**
   * A registry of the ZooKeeper ensemble given; the caller closes it.
   *
   * @throws IllegalStateException if an address was given instead
   */
  ZooKeeperRegistry zooKeeper() {
    if (!viaZooKeeper()) {
      throw new IllegalStateException("no --zookeeper given");
    }
    return zooKeeper(target.zooKeeper, timeout);
  }

  /**
   * A registry of this ensemble whose reads wait for a connection up to the timeout, once: a
   * command that cannot reach ZooKeeper fails UNAVAILABLE then, rather than after Curator's
   * retries.
   */
  static ZooKeeperRegistry zooKeeper(String connectString, Duration timeout) {
    return ZooKeeperRegistry.builder()
        .connectString(connectString)
        .connectionTimeout(timeout)
        .retryPolicy(new RetryNTimes(0, 0))
        .build();
  }

  /**
   * A client of the JSON serializer with these options, and the options of its calls.
   *
   * @param builtInsAt the service at whose providers the health and reflection services are asked
   *     when the server is found through ZooKeeper; {@code null} when there is none
   * @throws ParameterException if the options do not go together
   */
  Connection open(ServiceName builtInsAt) {
    CallOptions options = callOptions();
    ClientTls clientTls = clientTls();
    HmacCredentials credentials = credentials();
    RpcClient.Builder builder =
        RpcClient.builder()
            .serializer(JsonSerializer.create())
            .timeout(timeout)
            .connectTimeout(timeout);
    if (clientTls != null) {
      builder.tls(clientTls);
    }
    if (credentials != null) {
      builder.intercept(credentials);
    }
    if (!viaZooKeeper()) {
      return new Connection(builder.addresses(target.address).build(), null, options);
    }
    if (builtInsAt == null) {
      throw usage("give --address: with --zookeeper, this command needs a SERVICE");
    }
    BuiltInServicesRegistry registry = new BuiltInServicesRegistry(zooKeeper(), builtInsAt);
    try {
      return new Connection(builder.registry(registry).build(), registry, options);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  private CallOptions callOptions() {
    CallOptions options = CallOptions.DEFAULT.withTimeout(timeout);
    for (Map.Entry<String, String> attachment : attachments.entrySet()) {
      try {
        options = options.withAttachment(attachment.getKey(), attachment.getValue());
      } catch (IllegalArgumentException e) {
        throw usage("invalid attachment -H " + attachment.getKey() + ": " + e.getMessage());
      }
    }
    return options;
  }

  private ClientTls clientTls() {
    if ((certificate == null) != (key == null)) {
      throw usage("give --cert and --key together, for a client certificate");
    }
    if (!tls && caCertificates == null && certificate == null && serverName == null) {
      return null;
    }
    ClientTls.Builder builder = ClientTls.builder();
    if (caCertificates != null) {
      builder.trustCertificates(caCertificates);
    }
    if (certificate != null) {
      builder.keyCertChain(certificate, key);
    }
    if (serverName != null) {
      builder.serverName(serverName);
    }
    return builder.build();
  }

  private HmacCredentials credentials() {
    if ((hmacKeyId == null) != (secret == null)) {
      throw usage(
          "give --hmac-key-id with --hmac-secret or --hmac-secret-file, to sign calls with HMAC");
    }
    if (hmacKeyId == null) {
      return null;
    }
    byte[] bytes =
        secret.text != null ? secret.text.getBytes(StandardCharsets.UTF_8) : read(secret.file);
    try {
      return HmacCredentials.of(hmacKeyId, bytes);
    } catch (IllegalArgumentException e) {
      throw usage("invalid HMAC credential: " + e.getMessage());
    }
  }

  private static byte[] read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the HMAC secret file " + file + ": " + e, e);
    }
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] == '\n') {
      end--;
      if (end > 0 && bytes[end - 1] == '\r') {
        end--;
      }
    }
    return Arrays.copyOf(bytes, end);
  }

  private ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
