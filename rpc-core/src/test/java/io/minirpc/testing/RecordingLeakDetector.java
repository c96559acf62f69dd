package io.minirpc.testing;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, recording each leak it reports so that {@link LeakDetectorExtension} can
 * fail the test class that caused it. Installed for every test JVM through the system property
 * {@code io.netty.customResourceLeakDetector} (see rpc-core's pom).
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

  private static final List<String> leaks = new CopyOnWriteArrayList<>();

  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
  }

  /** The constructor Netty's factory tries first; the leak detector no longer uses maxActive. */
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    this(resourceType, samplingInterval);
  }

  @Override
  protected boolean needReport() {
    return true;
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    leaks.add(resourceType + " leaked:" + records);
    super.reportTracedLeak(resourceType, records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    leaks.add(resourceType + " leaked (no records)");
    super.reportUntracedLeak(resourceType);
  }

  /** The leaks reported since the last call, which forgets them. */
  static List<String> drain() {
    List<String> copy = List.copyOf(leaks);
    leaks.removeAll(copy);
    return copy;
  }
}
