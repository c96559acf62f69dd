package io.minirpc.example.scaleout;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The {@code --name value} options of a scale-out main. */
final class Arguments {

  private final Map<String, String> values;

  private Arguments(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Reads {@code --name value} pairs.
   *
   * @throws IllegalArgumentException for an option not among {@code known}, or one without a value
   */
  static Arguments parse(String[] args, Set<String> known) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String option = args[i];
      if (!option.startsWith("--") || !known.contains(option.substring(2))) {
        throw new IllegalArgumentException("unknown option " + option);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      values.put(option.substring(2), args[i + 1]);
    }
    return new Arguments(values);
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  int integer(String name, int orElse) {
    String value = values.get(name);
    try {
      return value == null ? orElse : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number: " + value, e);
    }
  }

  /** A duration given in milliseconds. */
  Duration millis(String name, Duration orElse) {
    return values.containsKey(name) ? Duration.ofMillis(integer(name, 0)) : orElse;
  }
}
