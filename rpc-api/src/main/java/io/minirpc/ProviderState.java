package io.minirpc;

/**
 * What a client makes of one provider right now: whether its next call may go there, and if not,
 * why. Derived from the client's circuit breaker for the provider and from the provider's own
 * going-away notice; it says nothing about whether a connection to it is open.
 */
public enum ProviderState {

  /**
   * Calls may go there: its circuit is closed (it may have failed a few times, fewer than the
   * circuit breaker's threshold) and it has not said it is going away.
   */
  AVAILABLE,

  /**
   * Its circuit is open after consecutive failures: it gets no calls during its cool-down, and
   * stays in this state after the cool-down until the next call picked for it becomes its probe.
   */
  CIRCUIT_OPEN,

  /**
   * Its circuit is half open: one probe call is out, and no other call goes there until it ends.
   */
  CIRCUIT_HALF_OPEN,

  /**
   * It announced that it is shutting down: it gets no new calls while the client's connections to
   * it finish the calls they carry. When they have closed, the state is the circuit's again.
   */
  GOING_AWAY
}
