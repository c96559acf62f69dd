package io.minirpc.cluster;

import io.minirpc.LoadBalancer;
import io.minirpc.Provider;
import io.minirpc.ServiceName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A call as a load balancer sees it, with pending counts the test sets. */
record TestCall(
    ServiceName service, String method, Object[] arguments, Map<Provider, Integer> pending)
    implements LoadBalancer.Call {

  static final ServiceName SERVICE = new ServiceName("test.Echo", "");

  static TestCall of(Object... arguments) {
    return new TestCall(SERVICE, "echo", arguments, new ConcurrentHashMap<>());
  }

  static TestCall of(ServiceName service) {
    return new TestCall(service, "echo", new Object[0], new ConcurrentHashMap<>());
  }

  TestCall pending(Provider provider, int calls) {
    pending.put(provider, calls);
    return this;
  }

  @Override
  public int pendingCalls(Provider provider) {
    return pending.getOrDefault(provider, 0);
  }
}
