package io.minirpc.example.scaleout;

import java.io.PrintStream;
import java.util.Objects;

/**
 * Prints what a scale-out process sees happen, for the script to wait on and to read times from:
 * one line {@code EVENT <epoch ms> <kind> <details>} per event.
 */
final class EventLog {

  private final PrintStream out;

  EventLog(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  synchronized void print(long at, String kind, String details) {
    out.println("EVENT " + at + " " + kind + " " + details);
    out.flush();
  }

  /** Any other line, such as the process's ready line or a status. */
  synchronized void line(String text) {
    out.println(text);
    out.flush();
  }
}
