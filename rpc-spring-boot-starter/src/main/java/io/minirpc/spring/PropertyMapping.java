package io.minirpc.spring;

import io.minirpc.LoadBalancer;
import io.minirpc.Serializer;
import io.minirpc.client.RpcClient;
import io.minirpc.cluster.ConsistentHashLoadBalancer;
import io.minirpc.cluster.LeastPendingLoadBalancer;
import io.minirpc.cluster.RoundRobinLoadBalancer;
import io.minirpc.cluster.WeightedRandomLoadBalancer;
import io.minirpc.registry.zookeeper.ZooKeeperRegistry;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.serialize.KryoSerializer;
import io.minirpc.serialize.ProtobufSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.tls.ClientTls;
import io.minirpc.tls.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;

/**
 * Applies the {@code minirpc.*} properties to the builders: only those set, so that every default
 * stays the builder's own.
 */
final class PropertyMapping {

  private static final Map<String, Supplier<LoadBalancer>> LOAD_BALANCERS =
      Map.of(
          "round-robin", RoundRobinLoadBalancer::create,
          "weighted-random", WeightedRandomLoadBalancer::create,
          "least-pending", LeastPendingLoadBalancer::create,
          "consistent-hash", ConsistentHashLoadBalancer::create);

  private PropertyMapping() {}

  /**
   * Applies the {@code minirpc.server.*} properties that are set.
   *
   * @param serializerBeans the application's serializers, each replacing the default one of its
   *     name
   */
  static void server(
      MinirpcProperties.Server p, RpcServer.Builder b, List<Serializer> serializerBeans) {
    Map<String, Serializer> serializers = serializersOf(serializerBeans);
    PropertyMapper map = PropertyMapper.get().alwaysApplyingWhenNonNull();
    map.from(p.host()).to(b::host);
    map.from(p.port()).to(b::port);
    map.from(p.restPort()).to(b::restPort);
    map.from(p.advertisedHost()).to(b::advertisedHost);
    map.from(p.weight()).to(b::weight);
    map.from(p.gracePeriod()).to(b::gracePeriod);
    map.from(p.idleTimeout()).to(b::idleTimeout);
    map.from(p.workerThreads()).to(b::workerThreads);
    map.from(p.workerQueueSize()).to(b::workerQueueSize);
    map.from(p.ioThreads()).to(b::ioThreads);
    map.from(p.maxFrameSize()).as(PropertyMapping::bytes).to(b::maxFrameSize);
    map.from(p.restTimeout()).to(b::restTimeout);
    map.from(p.reflection()).to(b::reflection);
    if (p.serializers() != null) {
      b.serializers(
          p.serializers().stream()
              .map(name -> serializer("minirpc.server.serializers", name, serializers))
              .toArray(Serializer[]::new));
    } else if (!serializerBeans.isEmpty()) {
      b.serializers(serializers.values().toArray(Serializer[]::new));
    }
    if (p.tls().enabled()) {
      b.tls(serverTls(p.tls()));
    }
  }

  /** Applies the {@code minirpc.client.*} properties that are set; serializers as for a server. */
  static void client(
      MinirpcProperties.Client p, RpcClient.Builder b, List<Serializer> serializerBeans) {
    Map<String, Serializer> serializers = serializersOf(serializerBeans);
    PropertyMapper map = PropertyMapper.get().alwaysApplyingWhenNonNull();
    map.from(p.serializer())
        .as(name -> serializer("minirpc.client.serializer", name, serializers))
        .to(b::serializer);
    map.from(p.timeout()).to(b::timeout);
    map.from(p.connectTimeout()).to(b::connectTimeout);
    map.from(p.connectionsPerAddress()).to(b::connectionsPerAddress);
    map.from(p.maxAttempts()).to(b::maxAttempts);
    map.from(p.attemptTimeout()).to(b::attemptTimeout);
    map.from(p.maxCallsInFlight()).to(b::maxCallsInFlight);
    map.from(p.heartbeatInterval()).to(b::heartbeatInterval);
    map.from(p.loadBalancer()).as(PropertyMapping::loadBalancer).to(b::loadBalancer);
    map.from(p.maxFrameSize()).as(PropertyMapping::bytes).to(b::maxFrameSize);
    map.from(p.ioThreads()).to(b::ioThreads);
    if (p.tls().enabled()) {
      b.tls(clientTls(p.tls()));
    }
  }

  /** A registry of the {@code minirpc.registry.*} properties, with a connect string. */
  static ZooKeeperRegistry registry(MinirpcProperties.Registry p) {
    ZooKeeperRegistry.Builder b = ZooKeeperRegistry.builder().connectString(p.connectString());
    PropertyMapper map = PropertyMapper.get().alwaysApplyingWhenNonNull();
    map.from(p.sessionTimeout()).to(b::sessionTimeout);
    map.from(p.connectionTimeout()).to(b::connectionTimeout);
    return b.build();
  }

  /** Kryo, Protocol Buffers and JSON by name, each replaced by a bean of the same name. */
  private static Map<String, Serializer> serializersOf(List<Serializer> beans) {
    Map<String, Serializer> byName = new LinkedHashMap<>();
    for (Serializer s :
        List.of(KryoSerializer.create(), ProtobufSerializer.create(), JsonSerializer.create())) {
      byName.put(s.name(), s);
    }
    for (Serializer s : beans) {
      byName.put(s.name(), s);
    }
    return byName;
  }

  private static Serializer serializer(
      String property, String name, Map<String, Serializer> serializers) {
    Serializer s = serializers.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          property
              + ": no serializer named '"
              + name
              + "'; known: "
              + serializers.keySet().stream().sorted().toList());
    }
    return s;
  }

  private static LoadBalancer loadBalancer(String name) {
    Supplier<LoadBalancer> lb = LOAD_BALANCERS.get(name);
    if (lb == null) {
      throw new IllegalArgumentException(
          "minirpc.client.load-balancer: no load balancer named '"
              + name
              + "'; known: "
              + LOAD_BALANCERS.keySet().stream().sorted().toList());
    }
    return lb.get();
  }

  private static int bytes(DataSize size) {
    return Math.toIntExact(size.toBytes());
  }

  private static ServerTls serverTls(MinirpcProperties.ServerTls p) {
    if (p.certificateChain() == null || p.privateKey() == null) {
      throw new IllegalArgumentException(
          "minirpc.server.tls.enabled is true: set minirpc.server.tls.certificate-chain and"
              + " minirpc.server.tls.private-key");
    }
    ServerTls.Builder b = ServerTls.builder();
    try (InputStream chain = p.certificateChain().getInputStream();
        InputStream key = p.privateKey().getInputStream()) {
      b.keyCertChain(chain, key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the server's certificate chain or key", e);
    }
    PropertyMapper map = PropertyMapper.get().alwaysApplyingWhenNonNull();
    map.from(p.keyPassword()).to(b::keyPassword);
    if (p.trustCertificates() != null) {
      try (InputStream trust = p.trustCertificates().getInputStream()) {
        b.trustCertificates(trust);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + p.trustCertificates(), e);
      }
    }
    map.from(p.clientAuth()).to(b::clientAuth);
    map.from(p.handshakeTimeout()).to(b::handshakeTimeout);
    return b.build();
  }

  private static ClientTls clientTls(MinirpcProperties.ClientTls p) {
    ClientTls.Builder b = ClientTls.builder();
    if (p.trustCertificates() != null) {
      try (InputStream trust = p.trustCertificates().getInputStream()) {
        b.trustCertificates(trust);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + p.trustCertificates(), e);
      }
    }
    if ((p.certificateChain() == null) != (p.privateKey() == null)) {
      throw new IllegalArgumentException(
          "set both minirpc.client.tls.certificate-chain and minirpc.client.tls.private-key, or"
              + " neither");
    }
    if (p.certificateChain() != null) {
      try (InputStream chain = p.certificateChain().getInputStream();
          InputStream key = p.privateKey().getInputStream()) {
        b.keyCertChain(chain, key);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the client's certificate chain or key", e);
      }
    }
    PropertyMapper map = PropertyMapper.get().alwaysApplyingWhenNonNull();
    map.from(p.keyPassword()).to(b::keyPassword);
    map.from(p.serverName()).to(b::serverName);
    map.from(p.hostnameVerification()).to(b::hostnameVerification);
    map.from(p.handshakeTimeout()).to(b::handshakeTimeout);
    return b.build();
  }
}
