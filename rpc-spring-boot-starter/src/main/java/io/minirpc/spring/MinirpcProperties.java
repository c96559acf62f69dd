package io.minirpc.spring;

import io.minirpc.tls.ClientAuth;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * The {@code minirpc.*} properties of the auto-configuration. A setting left out keeps the default
 * of {@code RpcServer.builder()}, {@code RpcClient.builder()} or {@code
 * ZooKeeperRegistry.builder()}; docs/SPRING.md lists each property with its default.
 *
 * <pre>
 * minirpc.registry.connect-string=zk1:2181,zk2:2181
 * minirpc.server.port=7070
 * minirpc.server.rest-port=8081
 * minirpc.client.timeout=2s
 * </pre>
 *
 * @param server the provider's side: the server that exports the application's services
 * @param client the caller's side: the client whose stubs fill {@link RpcReference}s
 * @param registry where providers announce themselves and callers find them
 */
@ConfigurationProperties("minirpc")
public record MinirpcProperties(
    @DefaultValue Server server, @DefaultValue Client client, @DefaultValue Registry registry) {

  /**
   * The {@code RpcServer}.
   *
   * @param enabled whether to run a server: unset, when some bean implements an {@code @RpcService}
   *     interface; {@code true}, always (failing without such a bean); {@code false}, never
   * @param host the address to listen on
   * @param port the port to listen on; 0, a free one
   * @param restPort also serve the services over HTTP/JSON on this port (0: a free one); off when
   *     unset
   * @param advertisedHost the host callers are told to connect to
   * @param weight this provider's share of calls relative to others
   * @param gracePeriod how long closing waits for calls in flight
   * @param idleTimeout how long a connection may send nothing before it is closed; 0 never
   * @param workerThreads threads of the business executor
   * @param workerQueueSize requests that may wait for a business thread
   * @param ioThreads event loop threads for connections
   * @param maxFrameSize the largest frame body accepted or sent
   * @param restTimeout the deadline of a REST call that sets none
   * @param reflection whether to serve the reflection service and the REST listing
   * @param serializers the names of the serializers accepted ({@code kryo}, {@code protobuf},
   *     {@code json}); all three when unset
   * @param tls TLS on both ports
   */
  public record Server(
      Boolean enabled,
      String host,
      Integer port,
      Integer restPort,
      String advertisedHost,
      Integer weight,
      Duration gracePeriod,
      Duration idleTimeout,
      Integer workerThreads,
      Integer workerQueueSize,
      Integer ioThreads,
      DataSize maxFrameSize,
      Duration restTimeout,
      Boolean reflection,
      List<String> serializers,
      @DefaultValue ServerTls tls) {}

  /**
   * The server's TLS: on when {@code enabled}, with a certificate chain and private key.
   *
   * @param enabled whether both ports speak TLS only
   * @param certificateChain the server's certificate chain, PEM ({@code file:..}, {@code
   *     classpath:..})
   * @param privateKey the server's private key, PKCS#8 PEM
   * @param keyPassword the password of an encrypted private key
   * @param trustCertificates the CAs that sign client certificates, PEM, for mutual TLS
   * @param clientAuth whether clients must present a certificate
   * @param handshakeTimeout how long a handshake may take
   */
  public record ServerTls(
      boolean enabled,
      Resource certificateChain,
      Resource privateKey,
      String keyPassword,
      Resource trustCertificates,
      ClientAuth clientAuth,
      Duration handshakeTimeout) {}

  /**
   * The {@code RpcClient}.
   *
   * @param enabled whether to make a client (when it has a registry or addresses to find providers
   *     with)
   * @param addresses providers to connect to directly ({@code host:port}), instead of the registry
   * @param serializer the name of the serializer of requests ({@code kryo}, {@code protobuf},
   *     {@code json})
   * @param timeout the timeout of calls whose method and reference set none
   * @param connectTimeout how long opening a connection may take
   * @param connectionsPerAddress connections opened to each provider
   * @param maxAttempts the most providers one call may be tried on
   * @param attemptTimeout the time one attempt of an idempotent method may take
   * @param maxCallsInFlight the most calls in flight at once; no limit when unset
   * @param heartbeatInterval how long a connection may read nothing before it pings; 0 never
   * @param loadBalancer how calls are spread over providers: {@code round-robin}, {@code
   *     weighted-random}, {@code least-pending}, {@code consistent-hash}
   * @param maxFrameSize the largest frame body sent or accepted
   * @param ioThreads event loop threads for the client's connections
   * @param tls TLS to the providers
   */
  public record Client(
      @DefaultValue("true") boolean enabled,
      List<String> addresses,
      String serializer,
      Duration timeout,
      Duration connectTimeout,
      Integer connectionsPerAddress,
      Integer maxAttempts,
      Duration attemptTimeout,
      Integer maxCallsInFlight,
      Duration heartbeatInterval,
      String loadBalancer,
      DataSize maxFrameSize,
      Integer ioThreads,
      @DefaultValue ClientTls tls) {}

  /**
   * The client's TLS: on when {@code enabled}.
   *
   * @param enabled whether to connect over TLS only
   * @param trustCertificates the CAs that sign servers' certificates, PEM; the JDK's when unset
   * @param certificateChain the client's certificate chain, PEM, for mutual TLS
   * @param privateKey the client's private key, PKCS#8 PEM, for mutual TLS
   * @param keyPassword the password of an encrypted private key
   * @param serverName the name every server's certificate must carry, instead of its host
   * @param hostnameVerification whether a server's certificate must name the server
   * @param handshakeTimeout how long a handshake may take
   */
  public record ClientTls(
      boolean enabled,
      Resource trustCertificates,
      Resource certificateChain,
      Resource privateKey,
      String keyPassword,
      String serverName,
      Boolean hostnameVerification,
      Duration handshakeTimeout) {}

  /**
   * The ZooKeeper registry, shared by the server and the client.
   *
   * @param connectString the ZooKeeper ensemble ({@code host:port,host:port}); no registry when
   *     unset
   * @param sessionTimeout the ZooKeeper session timeout
   * @param connectionTimeout how long connecting to ZooKeeper may take
   */
  public record Registry(
      String connectString, Duration sessionTimeout, Duration connectionTimeout) {}
}
