package io.minirpc.observability.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.minirpc.Status;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The meters of one side (client or server) of one registry, made once per method and status and
 * kept, so that recording a call costs two map lookups and no meter registration.
 *
 * <p>Names and tags follow OpenTelemetry's RPC semantic conventions: {@code rpc.<side>.duration} (a
 * timer, by {@code rpc.system}, {@code rpc.service}, {@code rpc.method} and {@code
 * rpc.minirpc.status_code}, with the 50th and 99th percentiles), {@code rpc.<side>.calls.started}
 * and {@code rpc.<side>.calls.active} (by system, service and method).
 */
final class CallMeters {

  static final String SYSTEM = "minirpc";

  private final MeterRegistry registry;
  private final String side;
  private final Map<String, Map<String, Method>> byService = new ConcurrentHashMap<>();

  CallMeters(MeterRegistry registry, String side) {
    this.registry = registry;
    this.side = side;
  }

  /** The meters of this method, registered the first time it is called. */
  Method of(String service, String method) {
    return byService
        .computeIfAbsent(service, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(method, m -> new Method(service, m));
  }

  /** One method's meters. */
  final class Method {
    private final Tags tags;
    private final Counter started;
    private final AtomicInteger active = new AtomicInteger();
    private final Timer[] durationByCode = new Timer[Status.Code.values().length];

    private Method(String service, String method) {
      this.tags = Tags.of("rpc.system", SYSTEM, "rpc.service", service, "rpc.method", method);
      this.started =
          Counter.builder("rpc." + side + ".calls.started")
              .description("Calls started")
              .tags(tags)
              .register(registry);
      Gauge.builder("rpc." + side + ".calls.active", active, AtomicInteger::get)
          .description("Calls started and not yet finished")
          .tags(tags)
          .register(registry);
    }

    /** Makes the call and records it: started now, finished with its outcome. */
    CompletableFuture<Object> record(Supplier<CompletableFuture<Object>> call) {
      started.increment();
      active.incrementAndGet();
      long start = System.nanoTime();
      CompletableFuture<Object> outcome;
      try {
        outcome = call.get();
      } catch (RuntimeException e) {
        finished(start, Status.fromThrowable(e).code());
        throw e;
      }
      return outcome.whenComplete(
          (result, failure) -> finished(start, Status.fromThrowable(failure).code()));
    }

    private void finished(long startNanos, Status.Code code) {
      active.decrementAndGet();
      duration(code).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private Timer duration(Status.Code code) {
      Timer timer = durationByCode[code.ordinal()];
      if (timer == null) {
        // Registering twice gives the same timer: a race here costs only a lookup.
        timer =
            Timer.builder("rpc." + side + ".duration")
                .description("Duration of calls, by outcome")
                .tags(tags.and("rpc.minirpc.status_code", code.name()))
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        durationByCode[code.ordinal()] = timer;
      }
      return timer;
    }
  }
}
