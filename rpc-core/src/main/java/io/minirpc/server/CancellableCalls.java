package io.minirpc.server;

import io.minirpc.internal.dispatch.ServerCall;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls of one connection that a cancel frame can still stop, by request id: those accepted and
 * not yet answered. A call leaves as it is answered (or dropped), so what a client can make the
 * server remember here is bounded by its calls in flight; a cancel for an id not found here (the
 * call was answered already, or never existed) is forgotten at once.
 *
 * <p>Calls are added on the connection's event loop and removed by whichever thread answers them.
 */
final class CancellableCalls {

  private final Map<Long, ServerCall> calls = new ConcurrentHashMap<>();

  void add(long requestId, ServerCall call) {
    calls.put(requestId, call);
  }

  /** Forgets the call, answered now; leaves alone another call a client sent with the same id. */
  void remove(long requestId, ServerCall call) {
    calls.remove(requestId, call);
  }

  /** Cancels the call of this id; returns whether there was one. */
  boolean cancel(long requestId) {
    ServerCall call = calls.remove(requestId);
    if (call == null) {
      return false;
    }
    call.cancel();
    return true;
  }
}
