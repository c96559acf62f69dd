package io.minirpc.internal.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * The streams of one connection that got items during the read going on, to {@linkplain
 * InboundStream#signal() signal} once it is done: one hand-off per stream for all the items a read
 * brought, rather than one per item. The connection's event loop only.
 */
public final class StreamSignals {

  private final List<InboundStream> touched = new ArrayList<>();

  /** This stream got an item; {@code null} (no item queued) is ignored. */
  public void add(InboundStream stream) {
    // Consecutive items of one stream are the common case; a stream listed twice is signalled
    // twice, which costs nothing more than a counter.
    if (stream != null && (touched.isEmpty() || touched.get(touched.size() - 1) != stream)) {
      touched.add(stream);
    }
  }

  /** The read is done: every stream listed is signalled, and the list starts again. */
  public void signalAll() {
    for (int i = 0; i < touched.size(); i++) {
      touched.get(i).signal();
    }
    touched.clear();
  }
}
