package io.minirpc.client;

import io.minirpc.Attachments;
import io.minirpc.Status;
import io.minirpc.internal.protocol.FrameHeader;
import io.minirpc.internal.protocol.FrameTooLargeException;
import io.minirpc.internal.protocol.FrameWriter;
import io.minirpc.internal.service.CodecFailure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;

/** Encodes the request frames of one client: its serializer, its allocator, its frame limit. */
final class RequestFrames {

  private final ByteBufAllocator alloc;
  private final int serializerId;
  private final int maxBodySize;

  RequestFrames(ByteBufAllocator alloc, int serializerId, int maxBodySize) {
    this.alloc = alloc;
    this.serializerId = serializerId;
    this.maxBodySize = maxBodySize;
  }

  ByteBufAllocator allocator() {
    return alloc;
  }

  int serializerId() {
    return serializerId;
  }

  int maxBodySize() {
    return maxBodySize;
  }

  /** The request that opens a stream call, with the first credit for its response stream. */
  ByteBuf encodeStream(
      BoundMethod method, Object[] args, Attachments attachments, int firstCredit, long requestId) {
    try {
      return FrameWriter.streamRequest(
          alloc,
          requestId,
          serializerId,
          method.descriptor.serviceKeyBytes(),
          method.descriptor.methodKeyBytes(),
          attachments,
          firstCredit,
          method.codec,
          args,
          maxBodySize);
    } catch (Throwable t) {
      throw encodingFailure(method, t);
    }
  }

  ByteBuf encode(BoundMethod method, Object[] args, Attachments attachments, long requestId) {
    try {
      return FrameWriter.request(
          alloc,
          requestId,
          method.descriptor.isOneWay() ? FrameHeader.FLAG_ONE_WAY : 0,
          serializerId,
          0,
          method.descriptor.serviceKeyBytes(),
          method.descriptor.methodKeyBytes(),
          attachments,
          method.codec,
          args,
          maxBodySize);
    } catch (Throwable t) {
      throw encodingFailure(method, t);
    }
  }

  private RuntimeException encodingFailure(BoundMethod method, Throwable t) {
    if (FrameTooLargeException.findIn(t) != null) {
      return Status.RESOURCE_EXHAUSTED
          .withDescription(
              "the request of "
                  + method.descriptor.displayName()
                  + " is larger than the maximum frame body of "
                  + maxBodySize
                  + " bytes; nothing was sent")
          .asException(t);
    }
    return CodecFailure.of(
        "could not encode the arguments of " + method.descriptor.displayName(), t);
  }

  /**
   * Writes the remaining budget into the header, rounded up so that it is never 0 (no limit).
   * Returns false, writing nothing, when no budget is left: such a request must not be sent, since
   * nobody would wait for its answer.
   */
  static boolean setTimeout(ByteBuf frame, long deadline) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      return false;
    }
    long remainingMillis = TimeUnit.NANOSECONDS.toMillis(remaining + 999_999);
    frame.setInt(
        frame.readerIndex() + FrameHeader.TIMEOUT_OFFSET,
        (int) Math.max(1, Math.min(Integer.MAX_VALUE, remainingMillis)));
    return true;
  }
}
