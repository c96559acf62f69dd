package io.minirpc.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches frames written by many threads onto one channel: they are queued, and one task on the
 * channel's event loop writes all that are waiting and flushes once, so that many concurrent calls
 * share a syscall instead of paying one each. The same idea as gRPC-java's {@code WriteQueue}.
 *
 * <p>Write failures surface through the channel's pipeline (the frames are written with the void
 * promise), where the connection's handler closes the channel and fails what is pending on it.
 */
public final class WriteQueue {

  /** Flush at least this often within one drain, so that a flood does not build a huge batch. */
  private static final int MAX_FRAMES_PER_FLUSH = 128;

  private final Channel channel;
  private final Queue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong bytesQueued = new AtomicLong();
  private final Runnable drainTask = this::drain;
  private final Runnable afterDrain;

  public WriteQueue(Channel channel) {
    this(channel, () -> {});
  }

  /**
   * @param afterDrain runs on the event loop each time the queued frames have been handed to the
   *     channel
   */
  public WriteQueue(Channel channel, Runnable afterDrain) {
    this.channel = channel;
    this.afterDrain = afterDrain;
  }

  /** Queues a frame for writing; the queue owns (and eventually releases) it from here on. */
  public void enqueue(ByteBuf frame) {
    bytesQueued.addAndGet(frame.readableBytes());
    queue.add(frame);
    scheduleDrain();
  }

  /**
   * The bytes of the frames queued and not yet handed to the channel, which the channel's own
   * writability does not count yet.
   */
  public long bytesQueued() {
    return bytesQueued.get();
  }

  private void scheduleDrain() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drainTask);
      } catch (RejectedExecutionException e) {
        // The event loop is shutting down: nobody will write these frames, so free them here.
        releaseAll();
      }
    }
  }

  private void drain() {
    try {
      int sinceFlush = 0;
      long written = 0;
      ByteBuf frame;
      while ((frame = queue.poll()) != null) {
        written += frame.readableBytes();
        channel.write(frame, channel.voidPromise());
        if (++sinceFlush == MAX_FRAMES_PER_FLUSH) {
          channel.flush();
          sinceFlush = 0;
          bytesQueued.addAndGet(-written);
          written = 0;
        }
      }
      if (sinceFlush > 0) {
        channel.flush();
      }
      bytesQueued.addAndGet(-written);
    } finally {
      scheduled.set(false);
    }
    afterDrain.run();
    // A frame may have been queued after the last poll but before the flag was cleared.
    if (!queue.isEmpty()) {
      scheduleDrain();
    }
  }

  private void releaseAll() {
    ByteBuf frame;
    while ((frame = queue.poll()) != null) {
      bytesQueued.addAndGet(-frame.readableBytes());
      frame.release();
    }
    scheduled.set(false);
  }
}
