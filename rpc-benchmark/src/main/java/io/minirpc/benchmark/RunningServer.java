package io.minirpc.benchmark;

/** A benchmark server listening on a loopback port, in this JVM or in another. */
public interface RunningServer extends AutoCloseable {

  /** The loopback port its callers connect to. */
  int port();

  /** Stops the server and waits until it has stopped. */
  @Override
  void close();
}
