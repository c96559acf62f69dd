package io.minirpc.dashboard;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.minirpc.Status;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Reads the services and their providers from ZooKeeper, in {@code ZooKeeperRegistry}'s layout
 * {@code /minirpc/<name>/<version or _>/providers/<host:port>} (see docs/DISCOVERY.md), each
 * provider's data being its JSON document.
 *
 * <p>The only class of this module that knows the layout: once {@code ZooKeeperRegistry} answers
 * {@code services()} and {@code providerNodes(service)} itself, this becomes a call to those.
 */
final class ProviderDirectory {

  private static final String ROOT = "/minirpc";

  private static final ObjectReader READER =
      new ObjectMapper()
          .readerFor(ProviderEntry.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final CuratorFramework client;

  ProviderDirectory(CuratorFramework client) {
    this.client = client;
  }

  /** One service: its key ({@code name} or {@code name:version}) and its providers by address. */
  record ServiceEntry(String key, String name, String version, List<ProviderEntry> providers) {}

  /**
   * A provider's document as registered; a node whose data cannot be read keeps its address (the
   * node's name) and says why in {@code error}.
   */
  record ProviderEntry(
      String address, int weight, List<String> serializers, long startTime, String error) {

    ProviderEntry {
      serializers = serializers == null ? List.of() : List.copyOf(serializers);
    }
  }

  /**
   * The services that have a providers folder, sorted by key, each with its providers sorted by
   * address; a service whose every provider has gone is listed with none.
   *
   * @throws io.minirpc.RpcException UNAVAILABLE if ZooKeeper cannot be read
   */
  List<ServiceEntry> services() {
    try {
      List<ServiceEntry> services = new ArrayList<>();
      for (String name : children(ROOT)) {
        for (String version : children(ROOT + "/" + name)) {
          String providersPath = ROOT + "/" + name + "/" + version + "/providers";
          if (client.checkExists().forPath(providersPath) == null) {
            continue;
          }
          List<ProviderEntry> providers = new ArrayList<>();
          for (String address : children(providersPath)) {
            providers.add(read(providersPath + "/" + address, address));
          }
          providers.sort((a, b) -> a.address().compareTo(b.address()));
          String decodedName = decode(name);
          String decodedVersion = version.equals("_") ? "" : decode(version);
          String key = decodedVersion.isEmpty() ? decodedName : decodedName + ":" + decodedVersion;
          services.add(new ServiceEntry(key, decodedName, decodedVersion, List.copyOf(providers)));
        }
      }
      services.sort((a, b) -> a.key().compareTo(b.key()));
      return services;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw Status.UNAVAILABLE
          .withDescription("could not read the services from ZooKeeper: " + e)
          .asException(e);
    }
  }

  private List<String> children(String path) throws Exception {
    try {
      return client.getChildren().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      // Gone between listing its parent and reading it, or no provider ever registered.
      return List.of();
    }
  }

  private ProviderEntry read(String path, String address) throws Exception {
    byte[] data;
    try {
      data = client.getData().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return new ProviderEntry(address, 0, List.of(), 0, "node deleted while being read");
    }
    if (data == null || data.length == 0) {
      return new ProviderEntry(address, 0, List.of(), 0, "node has no data");
    }
    try {
      ProviderEntry entry = READER.readValue(data);
      return new ProviderEntry(
          address, entry.weight(), entry.serializers(), entry.startTime(), null);
    } catch (IOException e) {
      return new ProviderEntry(
          address, 0, List.of(), 0, "node data is not a provider document: " + e.getMessage());
    }
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }
}
