package io.minirpc.internal.dispatch;

/** Events a server fires into the pipeline of each of its connections, whatever the protocol. */
public enum ServerEvent {
  /**
   * Starts a graceful close of the connection: tell the client if the protocol can, refuse new
   * calls, let the calls in flight answer.
   */
  GOING_AWAY
}
