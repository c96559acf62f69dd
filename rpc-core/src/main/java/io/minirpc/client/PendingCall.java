package io.minirpc.client;

import io.minirpc.MethodCodec;
import io.minirpc.internal.service.MethodDescriptor;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A request that was sent and waits for its response: how to read the answer, where it is
 * registered, so that a caller who stops waiting can withdraw it, and what its end leads to.
 *
 * <p>It ends once, with its answer, a failure, or abandoned by its caller; whichever comes first
 * wins and runs {@link #ended}, the rest are ignored. It is not a future with callbacks: a call's
 * attempt is the pending call itself ({@link RetryingCall}), so that its end runs in place, with no
 * callback node or second future per call.
 *
 * <p>The result of a blocking call is decoded by its caller's thread, which waits anyway: the event
 * loop ends the call with the result's bytes ({@link ResultBytes}), so that one loop does not
 * decode the answers of every caller in turn. An async call gets the decoded result.
 */
abstract class PendingCall {

  private static final AtomicIntegerFieldUpdater<PendingCall> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(PendingCall.class, "ended");

  // One instance: abandoning a call is routine (its deadline, its caller cancelling) and the
  // failure of an abandoned call goes nowhere, so it needs no stack of its own.
  private static final CancellationException ABANDONED =
      new CancellationException("the call ended before this attempt did");

  // Named apart from the fields of the call an attempt belongs to, which its code also reads.
  final MethodDescriptor descriptor;
  final MethodCodec resultCodec;
  final boolean answerAsBytes;
  private volatile ClientConnection connection;
  private volatile long requestId;
  private volatile int ended;

  PendingCall(MethodDescriptor descriptor, MethodCodec resultCodec, boolean answerAsBytes) {
    this.descriptor = descriptor;
    this.resultCodec = resultCodec;
    this.answerAsBytes = answerAsBytes;
  }

  /** The encoded result of a successful call, copied out of the frame for the caller to decode. */
  record ResultBytes(byte[] bytes) {}

  /** Ends the call with its answer, unless it has ended already. */
  final void complete(Object result) {
    if (ENDED.compareAndSet(this, 0, 1)) {
      ended(result, null);
    }
  }

  /** Ends the call with a failure, unless it has ended already. */
  final void fail(Throwable failure) {
    if (ENDED.compareAndSet(this, 0, 1)) {
      ended(null, failure);
    }
  }

  /** Ends the call for nothing, unless it has ended already: nobody waits for its outcome now. */
  final void abandon() {
    fail(ABANDONED);
  }

  final boolean isEnded() {
    return ended != 0;
  }

  /**
   * The call has ended, once, on the thread that ended it.
   *
   * @param failure null if it was answered; a {@link CancellationException} if it was abandoned
   */
  abstract void ended(Object result, Throwable failure);

  void sentOn(ClientConnection connection, long requestId) {
    this.requestId = requestId;
    this.connection = connection;
  }

  /**
   * Stops waiting: a response that still arrives is dropped, and the server is told if the call was
   * still pending (see {@link ClientConnection#withdraw}).
   */
  void withdraw() {
    ClientConnection c = connection;
    if (c != null) {
      c.withdraw(requestId);
    }
  }
}
