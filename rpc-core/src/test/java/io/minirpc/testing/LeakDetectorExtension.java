package io.minirpc.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaked a Netty buffer. Registered for every test class through JUnit's
 * extension auto-detection (see junit-platform.properties).
 *
 * <p>Netty reports a leak only when a buffer it tracks has been garbage-collected unreleased and
 * another buffer is then allocated; so after each class this collects garbage and allocates a few
 * buffers, then looks at what {@link RecordingLeakDetector} recorded.
 */
public final class LeakDetectorExtension implements AfterAllCallback {

  @Override
  public void afterAll(ExtensionContext context) {
    assertThat(collectLeaks()).as("Netty buffers leaked by " + context.getDisplayName()).isEmpty();
  }

  /** Makes Netty report the buffers that were dropped unreleased; returns (and forgets) them. */
  static List<String> collectLeaks() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      System.runFinalization();
      for (int i = 0; i < 16; i++) {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        pooled.release();
        ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
        unpooled.release();
      }
    }
    return RecordingLeakDetector.drain();
  }
}
