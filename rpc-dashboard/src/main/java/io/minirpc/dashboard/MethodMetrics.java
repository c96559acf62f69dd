package io.minirpc.dashboard;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The calls of each method as rpc-observability's {@code ServerMetrics} and {@code ClientMetrics}
 * record them: the timers {@code rpc.<side>.duration} (one per outcome, tagged {@code
 * rpc.minirpc.status_code}, with a 99th percentile) and the gauge {@code rpc.<side>.calls.active}.
 *
 * <p>Calls per second come from two samples taken by {@link #sample()}, which the dashboard calls
 * at a fixed interval, so that every reader sees the same rate however often it reads.
 */
final class MethodMetrics {

  private static final List<String> SIDES = List.of("server", "client");

  /** One method of one side. */
  record Key(String side, String service, String method) {}

  /** What a method's timers say at one moment. */
  record Counts(long calls, long errors, double p99Millis, Map<String, Long> byStatus) {}

  /** A method as {@code GET /api/metrics} shows it. */
  record MethodView(
      String side,
      String service,
      String method,
      long calls,
      long errors,
      long active,
      double callsPerSecond,
      double errorsPerSecond,
      double p99Millis,
      Map<String, Long> callsByStatus) {}

  private record Sample(long nanoTime, Map<Key, Counts> counts) {}

  private static final Comparator<Key> ORDER =
      Comparator.comparing(Key::side)
          .reversed()
          .thenComparing(Key::service)
          .thenComparing(Key::method);

  private final MeterRegistry registry;
  // Guarded by this.
  private Sample previous;
  private Sample latest;

  MethodMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Takes a sample of the counts, the newer of the two the rates are computed from. */
  void sample() {
    Sample sample = new Sample(System.nanoTime(), read());
    synchronized (this) {
      previous = latest;
      latest = sample;
    }
  }

  /** Every method seen so far, server side first, by service and method. */
  List<MethodView> methods() {
    Map<Key, Counts> now = read();
    Map<Key, Long> active = active();
    Sample older;
    Sample newer;
    synchronized (this) {
      older = previous;
      newer = latest;
    }
    List<MethodView> views = new ArrayList<>();
    for (Map.Entry<Key, Counts> entry : now.entrySet()) {
      Key key = entry.getKey();
      Counts counts = entry.getValue();
      double callsPerSecond = 0;
      double errorsPerSecond = 0;
      if (older != null && newer != null && newer.nanoTime() > older.nanoTime()) {
        double seconds = (newer.nanoTime() - older.nanoTime()) / 1e9;
        Counts before = older.counts().getOrDefault(key, new Counts(0, 0, 0, Map.of()));
        Counts after = newer.counts().getOrDefault(key, before);
        callsPerSecond = (after.calls() - before.calls()) / seconds;
        errorsPerSecond = (after.errors() - before.errors()) / seconds;
      }
      views.add(
          new MethodView(
              key.side(),
              key.service(),
              key.method(),
              counts.calls(),
              counts.errors(),
              active.getOrDefault(key, 0L),
              callsPerSecond,
              errorsPerSecond,
              counts.p99Millis(),
              counts.byStatus()));
    }
    return views;
  }

  private Map<Key, Counts> read() {
    Map<Key, Counts> counts = new TreeMap<>(ORDER);
    for (Meter meter : registry.getMeters()) {
      if (!(meter instanceof Timer timer)) {
        continue;
      }
      Key key = key(meter, "duration");
      if (key == null) {
        continue;
      }
      String status = meter.getId().getTag("rpc.minirpc.status_code");
      long calls = timer.count();
      double p99 = 0;
      for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
        if (value.percentile() == 0.99) {
          p99 = value.value(TimeUnit.MILLISECONDS);
        }
      }
      Counts sum = counts.getOrDefault(key, new Counts(0, 0, 0, Map.of()));
      Map<String, Long> byStatus = new TreeMap<>(sum.byStatus());
      byStatus.merge(status == null ? "UNKNOWN" : status, calls, Long::sum);
      counts.put(
          key,
          new Counts(
              sum.calls() + calls,
              sum.errors() + ("OK".equals(status) ? 0 : calls),
              Math.max(sum.p99Millis(), p99),
              Map.copyOf(byStatus)));
    }
    return counts;
  }

  private Map<Key, Long> active() {
    Map<Key, Long> active = new TreeMap<>(ORDER);
    for (Meter meter : registry.getMeters()) {
      if (meter instanceof Gauge gauge) {
        Key key = key(meter, "calls.active");
        if (key != null) {
          active.merge(key, (long) gauge.value(), Long::sum);
        }
      }
    }
    return active;
  }

  /** The method of a meter named {@code rpc.<side>.<suffix>} of minirpc, or null. */
  private static Key key(Meter meter, String suffix) {
    Meter.Id id = meter.getId();
    for (String side : SIDES) {
      if (id.getName().equals("rpc." + side + "." + suffix)
          && "minirpc".equals(id.getTag("rpc.system"))) {
        String service = id.getTag("rpc.service");
        String method = id.getTag("rpc.method");
        return service == null || method == null ? null : new Key(side, service, method);
      }
    }
    return null;
  }
}
