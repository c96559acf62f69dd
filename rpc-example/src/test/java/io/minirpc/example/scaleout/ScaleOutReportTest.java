package io.minirpc.example.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The figures and verdict of a scale-out run, from hand-made timelines: a run in which the
 * ZooKeeper leader dies at 1,000 ms and provider p2 (10.0.0.2:7070) at 2,000 ms.
 */
class ScaleOutReportTest {

  private static final String P1 = "10.0.0.1:7070";
  private static final String P2 = "10.0.0.2:7070";
  private static final String P3 = "10.0.0.3:7070";

  private final Timeline timeline = new Timeline();
  private long nextCall;

  @Test
  void aRunThatKeepsThePromisesPassesWithItsFigures() {
    goodRun();

    ScaleOutReport report = ScaleOutReport.of(timeline);

    assertThat(report.problems()).isEmpty();
    assertThat(report.figures())
        .containsEntry("calls", "28")
        .containsEntry("failed", "0")
        .containsEntry("retried", "3")
        .containsEntry("provider.p2", P2)
        .containsEntry("answers.before-kills.p1", "3")
        .containsEntry("answers.before-kills.p2", "3")
        .containsEntry("answers.after-zookeeper-kill.p1", "4")
        .containsEntry("answers.after-zookeeper-kill.p3", "3")
        .containsEntry("answers.after-provider-kill.p1", "5")
        .containsEntry("answers.after-provider-kill.p2", "0")
        .containsEntry("answers.after-provider-kill.p3", "4")
        .containsEntry("zookeeper-kill.target", "10.0.0.9:2181")
        .containsEntry("zookeeper-kill.caller_suspended_ms", "20")
        .containsEntry("zookeeper-kill.caller_reconnected_ms", "400")
        .containsEntry("zookeeper-kill.caller_session_lost", "false")
        .containsEntry("zookeeper-kill.provider_list_changes", "0")
        .containsEntry("provider-kill.name", "p2")
        .containsEntry("provider-kill.last_answer_ms", "-300")
        .containsEntry("provider-kill.detected_ms", "50")
        .containsEntry("provider-kill.detected_as", "CIRCUIT_OPEN")
        .containsEntry("provider-kill.node_vanished_ms", "800")
        .containsEntry("provider-kill.left_client_ms", "805")
        .containsEntry("provider-kill.answers_after_detection", "0")
        .containsEntry("provider-kill.attempts_before_detection", "1")
        .containsEntry("provider-kill.probes_before_forgotten", "1")
        .containsEntry("provider-kill.attempts_after_forgotten", "0")
        .containsEntry("provider-kill.failed_over", "3")
        .containsEntry("provider-kill.failed_over_sent_before_kill", "1");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .startsWith("FIGURE calls 28\nFIGURE failed 0\n")
        .contains("FIGURE provider-kill.node_vanished_ms 800\n")
        .endsWith("VERDICT PASS\n");
  }

  @Test
  void aFailedCallFailsTheRunNamingTheFirstFailure() {
    goodRun();
    timeline.failed(99, 2_500, "UNAVAILABLE: no provider of scaleout.NodeName:1");

    ScaleOutReport report = ScaleOutReport.of(timeline);

    assertThat(report.figures()).containsEntry("failed", "1");
    assertThat(report.problems())
        .containsExactly(
            "1 calls failed; the first: UNAVAILABLE: no provider of scaleout.NodeName:1");
    assertThat(report.passed()).isFalse();
  }

  @Test
  void aSurvivorWithoutCallsAfterTheKillMeansTheCallsWereNotShared() {
    goodRun();
    Timeline onlyP1 = new Timeline();
    timeline.picks().forEach(p -> onlyP1.picked(p.call(), p.address(), p.at()));
    timeline.outcomes().stream()
        .filter(o -> o.at() < 2_000 || !"p3".equals(o.answeredBy()))
        .forEach(o -> onlyP1.answered(o.call(), o.at(), o.answeredBy()));
    timeline.marks().forEach(m -> onlyP1.mark(m.at(), m.kind(), m.target()));
    timeline.listings().forEach(l -> onlyP1.listed(l.at(), l.addresses()));
    timeline.states().forEach(s -> onlyP1.stateChanged(s.at(), s.address(), s.state()));
    timeline.sessions().forEach(s -> onlyP1.session(s.at(), s.state()));

    assertThat(ScaleOutReport.of(onlyP1).problems())
        .containsExactly("p3 answered no call after-provider-kill: the calls were not shared");
  }

  @Test
  void attemptsSentToTheKilledProviderAfterItWasForgottenAreAProblem() {
    goodRun();
    long call = answer(P1, "p1", 3_500);
    timeline.picked(call, P2, 3_400);

    assertThat(ScaleOutReport.of(timeline).problems())
        .containsExactly("the caller sent 1 attempts to p2 after forgetting it");
  }

  @Test
  void aProviderListThatChangesWhenOnlyZooKeeperDiedIsAProblem() {
    goodRun();
    timeline.listed(1_500, List.of(P1, P3));

    assertThat(ScaleOutReport.of(timeline).problems())
        .containsExactly(
            "the list of providers changed after zookeeper-kill although no provider died: ["
                + P1
                + ", "
                + P3
                + "]");
  }

  @Test
  void aKilledProviderThatNeverLeavesTheListIsAProblem() {
    Timeline stale = new Timeline();
    stale.listed(0, List.of(P1, P2));
    long call = 0;
    for (long at = 100; at < 1_000; at += 100) {
      stale.picked(call, P1, at);
      stale.answered(call++, at + 5, "p1");
      stale.picked(call, P2, at);
      stale.answered(call++, at + 5, "p2");
    }
    stale.mark(500, "provider", P2);

    assertThat(ScaleOutReport.of(stale).problems())
        .containsExactly(
            "the caller never took p2 out of rotation after provider-kill",
            "the node of p2 never vanished from the caller's list after provider-kill",
            "the caller's client never forgot p2 after provider-kill");
  }

  /**
   * Calls round robin every 100 ms; the leader dies at 1,000 (the session is back at 1,400); p2,
   * whose last answer came at 1,700, dies at 2,000 with one call in flight, refuses another, is
   * taken out of rotation at 2,050, gets one probe, and vanishes at 2,800.
   */
  private void goodRun() {
    timeline.listed(0, List.of(P1, P2, P3));
    timeline.session(0, "CONNECTED");
    for (long at = 100; at < 1_000; at += 100) {
      roundRobin(at);
    }
    timeline.mark(1_000, "zookeeper", "10.0.0.9:2181");
    timeline.session(1_020, "SUSPENDED");
    timeline.session(1_400, "RECONNECTED");
    for (long at = 1_000; at < 2_000; at += 100) {
      roundRobin(at);
    }
    // In flight on p2 at its death, answered by p3 after a retry; its last answer came before.
    long inFlight = nextCall++;
    timeline.picked(inFlight, P2, 1_995);
    timeline.mark(2_000, "provider", P2);
    timeline.picked(inFlight, P3, 2_010);
    timeline.answered(inFlight, 2_031, "p3");
    // A new call refused by p2's closed port, then sent to p1.
    long refused = nextCall++;
    timeline.picked(refused, P2, 2_040);
    timeline.picked(refused, P1, 2_041);
    timeline.answered(refused, 2_062, "p1");
    timeline.stateChanged(2_050, P2, "CIRCUIT_OPEN");
    // p2's probe, refused, and the call answered by p1.
    long probe = nextCall++;
    timeline.picked(probe, P2, 2_470);
    timeline.picked(probe, P1, 2_480);
    timeline.answered(probe, 2_500, "p1");
    timeline.listed(2_800, List.of(P1, P3));
    timeline.stateChanged(2_805, P2, Timeline.StateChange.GONE);
    for (long at = 2_100; at < 3_000; at += 300) {
      answer(P1, "p1", at);
      answer(P3, "p3", at + 1);
    }
  }

  private void roundRobin(long at) {
    if (at % 300 == 100) {
      answer(P1, "p1", at);
    } else if (at % 300 == 200) {
      answer(P2, "p2", at);
    } else {
      answer(P3, "p3", at);
    }
  }

  private long answer(String address, String name, long at) {
    long call = nextCall++;
    timeline.picked(call, address, at - 20);
    timeline.answered(call, at, name);
    return call;
  }
}
