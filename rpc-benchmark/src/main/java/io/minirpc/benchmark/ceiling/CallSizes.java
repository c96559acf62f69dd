package io.minirpc.benchmark.ceiling;

import io.minirpc.benchmark.Backend;
import io.minirpc.benchmark.Operation;
import io.minirpc.benchmark.wire.WireBytes;
import io.minirpc.benchmark.wire.WireBytesMeter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How many bytes a call of each operation puts on the wire each way, request and reply, framing
 * included: what the ceiling's frames carry so that it moves as many bytes as minirpc does.
 *
 * <p>{@link #ofMinirpcKryo()} measures them rather than computing them: it makes calls of every
 * operation against a minirpc-kryo server in this JVM through the benchmark's counting proxy
 * ({@link WireBytesMeter}), exactly as the B/call column of the reports is made, so the ceiling's
 * B/call comes out as minirpc-kryo's, and stays so when minirpc's framing or Kryo's encoding
 * change, without this class knowing either.
 */
final class CallSizes {

  /** Warm-up and counted calls per operation: sizes vary by a few bytes with the ids. */
  private static final int WARMUP_CALLS = 50;

  private static final int COUNTED_CALLS = 200;

  private final int[] requestBytes;
  private final int[] replyBytes;

  /** Sizes by operation ordinal. */
  CallSizes(int[] requestBytes, int[] replyBytes) {
    if (requestBytes.length != Operation.values().length
        || replyBytes.length != Operation.values().length) {
      throw new IllegalArgumentException("one size per operation each way");
    }
    this.requestBytes = requestBytes.clone();
    this.replyBytes = replyBytes.clone();
    for (int size : requestBytes) {
      checkSize(size);
    }
    for (int size : replyBytes) {
      checkSize(size);
    }
  }

  /** The sizes of minirpc-kryo's calls, measured now (a second or two). */
  static CallSizes ofMinirpcKryo() {
    Map<Operation, WireBytes> bytes =
        new WireBytesMeter(WARMUP_CALLS, COUNTED_CALLS)
            .measure(Backend.MINIRPC_KRYO, List.of(Operation.values()));
    int[] up = new int[Operation.values().length];
    int[] down = new int[up.length];
    for (Operation op : Operation.values()) {
      up[op.ordinal()] = (int) Math.round(bytes.get(op).up());
      down[op.ordinal()] = (int) Math.round(bytes.get(op).down());
    }
    return new CallSizes(up, down);
  }

  int request(Operation op) {
    return requestBytes[op.ordinal()];
  }

  int reply(Operation op) {
    return replyBytes[op.ordinal()];
  }

  private static void checkSize(int size) {
    if (size < CeilingFrames.HEADER_BYTES) {
      throw new IllegalArgumentException(
          "a frame takes at least " + CeilingFrames.HEADER_BYTES + " bytes: " + size);
    }
  }

  @Override
  public String toString() {
    return "CallSizes[request="
        + Arrays.toString(requestBytes)
        + ", reply="
        + Arrays.toString(replyBytes)
        + "]";
  }
}
