package io.minirpc.health;

/**
 * Whether a service, or a whole server, is ready for calls: what {@link Health#check} answers.
 *
 * <p>There is no {@code UNKNOWN} or {@code SERVICE_UNKNOWN} as in gRPC: a server knows the status
 * of every service it exports from the start (SERVING), and a check of a service it does not export
 * fails with NOT_FOUND instead, as gRPC's {@code Check} does. Constants are only ever appended:
 * Kryo carries an enum by its position.
 */
public enum ServingStatus {
  /** Ready for calls. */
  SERVING,
  /** Up, but not ready for calls: set so by the application, or the server is shutting down. */
  NOT_SERVING
}
