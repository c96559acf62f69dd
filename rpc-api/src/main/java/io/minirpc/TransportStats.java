package io.minirpc;

/**
 * A live, read-only view of one listening port's or one client's connections: the bytes they have
 * carried since it started and how many are open now, for monitoring.
 *
 * <p>The bytes are those read from and written to the sockets, so TLS records and HTTP headers
 * count as well as minirpc frames. Reading a figure costs a sum over a few counters; the counting
 * itself is done by the transport as bytes pass, without locks or allocation.
 *
 * <pre>{@code
 * TransportStats stats = server.transportStats();
 * long in = stats.bytesReceived();
 * }</pre>
 */
public interface TransportStats {

  /**
   * The protocol these connections speak, as OpenTelemetry's {@code network.protocol.name} names
   * it: {@code minirpc} for the binary protocol, {@code http} for the REST bridge.
   */
  String protocol();

  /** Bytes read from the sockets so far, over every connection, open or closed. */
  long bytesReceived();

  /**
   * Bytes handed to the sockets to send so far, over every connection, open or closed (bytes a
   * connection had queued when it broke count too, though they never left).
   */
  long bytesSent();

  /** Connections open now. */
  int openConnections();
}
