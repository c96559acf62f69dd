package io.minirpc.example.scaleout;

import io.minirpc.example.scaleout.Timeline.Listing;
import io.minirpc.example.scaleout.Timeline.Mark;
import io.minirpc.example.scaleout.Timeline.Outcome;
import io.minirpc.example.scaleout.Timeline.Pick;
import io.minirpc.example.scaleout.Timeline.SessionChange;
import io.minirpc.example.scaleout.Timeline.StateChange;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The figures of a scale-out run, computed from the caller's {@link Timeline}, and what in them
 * goes against what minirpc promises (no idempotent call fails, the survivors share the calls, a
 * killed provider gets none once it is known dead and leaves the list when its node vanishes,
 * discovery goes on through the loss of a ZooKeeper node).
 *
 * <p>The calls are cut into phases by the script's marks: {@code before-kills}, then {@code
 * after-<kind>-kill} from each mark on. Times of a kill's figures are milliseconds after the kill.
 * Each figure is printed as a line {@code FIGURE <key> <value>}, each broken promise as {@code
 * PROBLEM <text>}, then {@code VERDICT PASS} or {@code VERDICT FAIL}.
 */
final class ScaleOutReport {

  /** The value of a time figure whose event never came. */
  static final String NONE = "none";

  private final Map<String, String> figures = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  private ScaleOutReport() {}

  static ScaleOutReport of(Timeline timeline) {
    ScaleOutReport report = new ScaleOutReport();
    report.compute(timeline);
    return report;
  }

  /** Every figure by key, in the order they are printed. */
  Map<String, String> figures() {
    return Collections.unmodifiableMap(figures);
  }

  /** What went against the promises; empty when the run passed. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  boolean passed() {
    return problems.isEmpty();
  }

  void print(PrintStream out) {
    figures.forEach((key, value) -> out.println("FIGURE " + key + " " + value));
    problems.forEach(problem -> out.println("PROBLEM " + problem));
    out.println(passed() ? "VERDICT PASS" : "VERDICT FAIL");
  }

  private void compute(Timeline timeline) {
    List<Pick> picks = timeline.picks();
    List<Outcome> outcomes = timeline.outcomes();
    List<Mark> marks = timeline.marks();
    Map<Long, List<Pick>> picksByCall = new HashMap<>();
    for (Pick pick : picks) {
      picksByCall.computeIfAbsent(pick.call(), c -> new ArrayList<>()).add(pick);
    }
    Map<String, String> nameByAddress = namesByAddress(outcomes, picksByCall);
    Set<String> names = new TreeSet<>(nameByAddress.values());

    List<Outcome> failures = outcomes.stream().filter(Outcome::failed).toList();
    figure("calls", outcomes.size());
    figure("failed", failures.size());
    if (!failures.isEmpty()) {
      problem(failures.size() + " calls failed; the first: " + failures.get(0).failure());
    }
    figure("retried", picksByCall.values().stream().filter(p -> p.size() > 1).count());
    if (!outcomes.isEmpty()) {
      long millis = outcomes.get(outcomes.size() - 1).at() - outcomes.get(0).at();
      figure("load_seconds", String.format("%.1f", millis / 1000.0));
      figure("calls_per_second", millis == 0 ? 0 : Math.round(outcomes.size() * 1000.0 / millis));
    }
    for (Map.Entry<String, String> entry : nameByAddress.entrySet()) {
      figure("provider." + entry.getValue(), entry.getKey());
    }

    List<String> phases = new ArrayList<>();
    phases.add("before-kills");
    List<String> prefixes = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (Mark mark : marks) {
      int n = seen.merge(mark.kind(), 1, Integer::sum);
      String prefix = mark.kind() + "-kill" + (n == 1 ? "" : "-" + n);
      prefixes.add(prefix);
      phases.add("after-" + prefix);
    }

    Set<String> killed = new HashSet<>();
    for (int p = 0; p < phases.size(); p++) {
      long from = p == 0 ? Long.MIN_VALUE : marks.get(p - 1).at();
      long to = p == marks.size() ? Long.MAX_VALUE : marks.get(p).at();
      if (p > 0 && marks.get(p - 1).kind().equals("provider")) {
        killed.add(nameByAddress.getOrDefault(marks.get(p - 1).target(), "?"));
      }
      for (String name : names) {
        long answers =
            outcomes.stream()
                .filter(o -> name.equals(o.answeredBy()) && o.at() >= from && o.at() < to)
                .count();
        figure("answers." + phases.get(p) + "." + name, answers);
        if (answers == 0 && !killed.contains(name)) {
          problem(name + " answered no call " + phases.get(p) + ": the calls were not shared");
        }
      }
    }

    for (int m = 0; m < marks.size(); m++) {
      Mark mark = marks.get(m);
      long until = m + 1 < marks.size() ? marks.get(m + 1).at() : Long.MAX_VALUE;
      String prefix = prefixes.get(m);
      figure(prefix + ".target", mark.target());
      figure(prefix + ".at", mark.at());
      switch (mark.kind()) {
        case "zookeeper" -> zooKeeperKill(timeline, mark, until, prefix);
        case "provider" -> providerKill(timeline, mark, prefix, nameByAddress, picks, picksByCall);
        default -> problem("unknown mark " + mark.kind() + " " + mark.target());
      }
    }
  }

  /** The caller's session through the kill of a ZooKeeper server, and its list of providers. */
  private void zooKeeperKill(Timeline timeline, Mark mark, long until, String prefix) {
    SessionChange suspended = null;
    SessionChange reconnected = null;
    boolean lost = false;
    for (SessionChange change : timeline.sessions()) {
      if (change.at() < mark.at() || change.at() >= until) {
        continue;
      }
      boolean down = change.state().equals("SUSPENDED") || change.state().equals("LOST");
      lost |= change.state().equals("LOST");
      if (suspended == null && down) {
        suspended = change;
      } else if (suspended != null
          && reconnected == null
          && (change.state().equals("RECONNECTED") || change.state().equals("CONNECTED"))) {
        reconnected = change;
      }
    }
    figure(prefix + ".caller_suspended_ms", since(mark, suspended == null ? null : suspended.at()));
    figure(
        prefix + ".caller_reconnected_ms",
        since(mark, reconnected == null ? null : reconnected.at()));
    figure(prefix + ".caller_session_lost", lost);
    if (suspended != null && reconnected == null) {
      problem("the caller did not reconnect to ZooKeeper after " + prefix);
    }
    if (lost) {
      problem("the caller's ZooKeeper session was lost after " + prefix);
    }
    List<Listing> changes =
        timeline.listings().stream().filter(l -> l.at() >= mark.at() && l.at() < until).toList();
    figure(prefix + ".provider_list_changes", changes.size());
    if (!changes.isEmpty()) {
      problem(
          "the list of providers changed after "
              + prefix
              + " although no provider died: "
              + changes.get(0).addresses());
    }
  }

  /** How the caller found out that a provider was killed, and what it sent there after. */
  private void providerKill(
      Timeline timeline,
      Mark mark,
      String prefix,
      Map<String, String> nameByAddress,
      List<Pick> picks,
      Map<Long, List<Pick>> picksByCall) {
    String address = mark.target();
    String name = nameByAddress.get(address);
    if (name == null) {
      problem("the killed provider " + address + " had answered no call");
      return;
    }
    figure(prefix + ".name", name);
    List<Outcome> outcomes = timeline.outcomes();
    Long lastAnswer = null;
    long answersAfterKill = 0;
    for (Outcome outcome : outcomes) {
      if (name.equals(outcome.answeredBy())) {
        lastAnswer = outcome.at();
        if (outcome.at() > mark.at()) {
          answersAfterKill++;
        }
      }
    }
    figure(prefix + ".last_answer_ms", since(mark, lastAnswer));
    figure(prefix + ".answers_after_kill", answersAfterKill);

    Long detected = null;
    String detectedAs = NONE;
    Long forgotten = null;
    for (StateChange change : timeline.states()) {
      if (change.at() < mark.at() || !change.address().equals(address)) {
        continue;
      }
      if (detected == null && !change.state().equals("AVAILABLE")) {
        detected = change.at();
        detectedAs = change.state();
      }
      if (forgotten == null && change.state().equals(StateChange.GONE)) {
        forgotten = change.at();
      }
    }
    Long removed = null;
    for (Listing listing : timeline.listings()) {
      if (listing.at() >= mark.at() && !listing.addresses().contains(address)) {
        removed = listing.at();
        break;
      }
    }
    figure(prefix + ".detected_ms", since(mark, detected));
    figure(prefix + ".detected_as", detectedAs);
    figure(prefix + ".node_vanished_ms", since(mark, removed));
    figure(prefix + ".left_client_ms", since(mark, forgotten));
    if (detected == null) {
      problem("the caller never took " + name + " out of rotation after " + prefix);
    }
    if (removed == null) {
      problem("the node of " + name + " never vanished from the caller's list after " + prefix);
    }
    if (forgotten == null) {
      problem("the caller's client never forgot " + name + " after " + prefix);
    }

    long answersAfterDetection = 0;
    if (detected != null) {
      for (Outcome outcome : outcomes) {
        if (name.equals(outcome.answeredBy()) && outcome.at() > detected) {
          answersAfterDetection++;
        }
      }
    }
    figure(prefix + ".answers_after_detection", answersAfterDetection);
    if (answersAfterDetection > 0) {
      problem(name + " answered " + answersAfterDetection + " calls after it was detected dead");
    }

    long beforeDetection = 0;
    long probes = 0;
    long afterForgotten = 0;
    for (Pick pick : picks) {
      if (pick.at() < mark.at() || !pick.address().equals(address)) {
        continue;
      }
      if (detected == null || pick.at() <= detected) {
        beforeDetection++;
      } else if (forgotten == null || pick.at() <= forgotten) {
        probes++;
      } else {
        afterForgotten++;
      }
    }
    figure(prefix + ".attempts_before_detection", beforeDetection);
    figure(prefix + ".probes_before_forgotten", probes);
    figure(prefix + ".attempts_after_forgotten", afterForgotten);
    if (afterForgotten > 0) {
      problem(
          "the caller sent " + afterForgotten + " attempts to " + name + " after forgetting it");
    }

    // Calls that went to the killed provider and were answered by another: failed over.
    long failedOver = 0;
    long inFlight = 0;
    for (Outcome outcome : outcomes) {
      if (outcome.failed() || name.equals(outcome.answeredBy()) || outcome.at() < mark.at()) {
        continue;
      }
      List<Pick> attempts = picksByCall.getOrDefault(outcome.call(), List.of());
      boolean triedThere = false;
      boolean sentBeforeKill = false;
      for (Pick pick : attempts) {
        if (pick.address().equals(address)) {
          triedThere = true;
          sentBeforeKill |= pick.at() < mark.at();
        }
      }
      if (triedThere) {
        failedOver++;
        if (sentBeforeKill) {
          inFlight++;
        }
      }
    }
    figure(prefix + ".failed_over", failedOver);
    figure(prefix + ".failed_over_sent_before_kill", inFlight);
  }

  /**
   * The provider's name for each address: the name in the answers of the calls whose last attempt
   * went there (the answering one), by majority should an abandoned attempt have answered late.
   */
  private static Map<String, String> namesByAddress(
      List<Outcome> outcomes, Map<Long, List<Pick>> picksByCall) {
    Map<String, Map<String, Integer>> votes = new TreeMap<>();
    for (Outcome outcome : outcomes) {
      List<Pick> attempts = picksByCall.get(outcome.call());
      if (outcome.failed() || attempts == null) {
        continue;
      }
      String address = attempts.get(attempts.size() - 1).address();
      votes
          .computeIfAbsent(address, a -> new HashMap<>())
          .merge(outcome.answeredBy(), 1, Integer::sum);
    }
    Map<String, String> names = new TreeMap<>();
    votes.forEach(
        (address, byName) ->
            names.put(
                address,
                Collections.max(byName.entrySet(), Map.Entry.comparingByValue()).getKey()));
    return names;
  }

  private static String since(Mark mark, Long at) {
    return at == null ? NONE : Long.toString(at - mark.at());
  }

  private void figure(String key, Object value) {
    figures.put(key, String.valueOf(value));
  }

  private void problem(String text) {
    problems.add(text);
  }
}
