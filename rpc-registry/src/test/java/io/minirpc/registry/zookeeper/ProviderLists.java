package io.minirpc.registry.zookeeper;

import io.minirpc.Provider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A subscription listener that keeps every list it was given. */
final class ProviderLists implements Consumer<List<Provider>> {

  private final List<List<Provider>> received = new CopyOnWriteArrayList<>();

  @Override
  public void accept(List<Provider> providers) {
    received.add(providers);
  }

  List<List<Provider>> received() {
    return List.copyOf(received);
  }

  /** The last list received, or null before the first. */
  List<Provider> latest() {
    List<List<Provider>> all = received();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /**
   * Waits for a latest list of these addresses, whatever else the providers announce (a server
   * registers the serializers it accepts, say).
   */
  void awaitAddresses(List<Provider> expected) {
    List<String> addresses = expected.stream().map(Provider::address).toList();
    Await.until(
        "the latest list has the addresses " + addresses + " (received " + received + ")",
        () -> {
          List<Provider> latest = latest();
          return latest != null
              && addresses.equals(latest.stream().map(Provider::address).toList());
        });
  }

  void awaitLatest(List<Provider> expected) {
    Await.until(
        "the latest list is " + expected + " (received " + received + ")",
        () -> expected.equals(latest()));
  }
}
