package io.minirpc.example.scaleout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What the scale-out caller saw, each event with its wall-clock time in epoch milliseconds (the
 * clock the script's kill times are read from): every provider picked for an attempt, every call's
 * outcome, the script's marks, the lists of providers the registry gave, the client's view of each
 * provider and the caller's ZooKeeper connection. Thread-safe; {@link ScaleOutReport} reads it.
 */
final class Timeline {

  /** A provider chosen for one attempt of a call. */
  record Pick(long call, String address, long at) {}

  /** How a call ended: the name of the provider that answered it, or why it failed. */
  record Outcome(long call, long at, String answeredBy, String failure) {

    boolean failed() {
      return failure != null;
    }
  }

  /**
   * Something the script did: {@code kind} is {@code zookeeper} or {@code provider}, {@code target}
   * the address of the server it killed.
   */
  record Mark(long at, String kind, String target) {}

  /** The providers the registry listed from this time on, by address. */
  record Listing(long at, List<String> addresses) {

    Listing {
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * The client's view of one provider from this time on: a {@link io.minirpc.ProviderState} name,
   * or {@link #GONE} once the client no longer knows it.
   */
  record StateChange(long at, String address, String state) {

    static final String GONE = "GONE";
  }

  /** The caller's ZooKeeper connection from this time on: a Curator {@code ConnectionState}. */
  record SessionChange(long at, String state) {}

  private final List<Pick> picks = new ArrayList<>();
  private final List<Outcome> outcomes = new ArrayList<>();
  private final List<Mark> marks = new ArrayList<>();
  private final List<Listing> listings = new ArrayList<>();
  private final List<StateChange> states = new ArrayList<>();
  private final List<SessionChange> sessions = new ArrayList<>();

  synchronized void picked(long call, String address, long at) {
    picks.add(new Pick(call, Objects.requireNonNull(address, "address"), at));
  }

  synchronized void answered(long call, long at, String provider) {
    outcomes.add(new Outcome(call, at, Objects.requireNonNull(provider, "provider"), null));
  }

  synchronized void failed(long call, long at, String failure) {
    outcomes.add(new Outcome(call, at, null, Objects.requireNonNull(failure, "failure")));
  }

  synchronized void mark(long at, String kind, String target) {
    marks.add(new Mark(at, Objects.requireNonNull(kind, "kind"), target));
  }

  synchronized void listed(long at, List<String> addresses) {
    listings.add(new Listing(at, addresses));
  }

  synchronized void stateChanged(long at, String address, String state) {
    states.add(new StateChange(at, address, state));
  }

  synchronized void session(long at, String state) {
    sessions.add(new SessionChange(at, state));
  }

  synchronized List<Pick> picks() {
    return sorted(picks, Comparator.comparingLong(Pick::at));
  }

  synchronized List<Outcome> outcomes() {
    return sorted(outcomes, Comparator.comparingLong(Outcome::at));
  }

  /** The marks in the order of their times (the script sends each after its kill). */
  synchronized List<Mark> marks() {
    return sorted(marks, Comparator.comparingLong(Mark::at));
  }

  synchronized List<Listing> listings() {
    return sorted(listings, Comparator.comparingLong(Listing::at));
  }

  synchronized List<StateChange> states() {
    return sorted(states, Comparator.comparingLong(StateChange::at));
  }

  synchronized List<SessionChange> sessions() {
    return sorted(sessions, Comparator.comparingLong(SessionChange::at));
  }

  private static <T> List<T> sorted(List<T> events, Comparator<T> byTime) {
    List<T> copy = new ArrayList<>(events);
    copy.sort(byTime); // stable: events of one millisecond keep the order they were recorded in
    return List.copyOf(copy);
  }
}
