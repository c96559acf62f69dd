package io.minirpc.observability.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.minirpc.TransportStats;

/**
 * The meters of one side's connections, read from a {@link TransportStats} view when the registry
 * is scraped, so that recording costs nothing here: {@code rpc.<side>.bytes.received} and {@code
 * rpc.<side>.bytes.sent} (function counters, in bytes) and {@code rpc.<side>.connections} (a gauge
 * of the connections open), by {@code rpc.system} and {@code network.protocol.name} ({@code
 * minirpc}, or {@code http} for a server's REST bridge).
 *
 * <p>The registry holds the view weakly, as Micrometer does: the meters read nothing (NaN) once the
 * server or client that owns it is gone.
 */
final class TransportMeters {

  private TransportMeters() {}

  static void register(MeterRegistry registry, String side, TransportStats stats) {
    Tags tags = Tags.of("rpc.system", CallMeters.SYSTEM, "network.protocol.name", stats.protocol());
    FunctionCounter.builder("rpc." + side + ".bytes.received", stats, TransportStats::bytesReceived)
        .description("Bytes read from the connections' sockets, TLS records included")
        .baseUnit("bytes")
        .tags(tags)
        .register(registry);
    FunctionCounter.builder("rpc." + side + ".bytes.sent", stats, TransportStats::bytesSent)
        .description("Bytes written to the connections' sockets, TLS records included")
        .baseUnit("bytes")
        .tags(tags)
        .register(registry);
    Gauge.builder("rpc." + side + ".connections", stats, TransportStats::openConnections)
        .description("Connections open")
        .tags(tags)
        .register(registry);
  }
}
