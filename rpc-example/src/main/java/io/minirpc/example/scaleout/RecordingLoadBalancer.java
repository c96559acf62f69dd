package io.minirpc.example.scaleout;

import io.minirpc.LoadBalancer;
import io.minirpc.Provider;
import java.util.List;
import java.util.Objects;

/**
 * A {@link LoadBalancer} of {@link NodeNameService} that lets another choose and records each
 * choice in a {@link Timeline}: the client asks it for every attempt of a call, retries included,
 * so the timeline shows where each attempt was sent.
 */
final class RecordingLoadBalancer implements LoadBalancer {

  private final LoadBalancer chooser;
  private final Timeline timeline;

  RecordingLoadBalancer(LoadBalancer chooser, Timeline timeline) {
    this.chooser = Objects.requireNonNull(chooser, "chooser");
    this.timeline = Objects.requireNonNull(timeline, "timeline");
  }

  @Override
  public Provider pick(List<Provider> providers, Call call) {
    Provider picked = chooser.pick(providers, call);
    // The call's number is its first argument (NodeNameService.nodeName).
    timeline.picked((Long) call.arguments()[0], picked.address(), System.currentTimeMillis());
    return picked;
  }
}
