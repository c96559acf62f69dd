package io.minirpc.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a positive duration as people write it: {@code 500ms}, {@code 2s}, {@code 1m}, or ISO-8601.
 */
final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Duration duration = parse(value.trim());
    if (duration.isNegative() || duration.isZero()) {
      throw new TypeConversionException("'" + value + "' is not a positive duration");
    }
    return duration;
  }

  private static Duration parse(String value) {
    Matcher m = SHORT.matcher(value);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration: write it as 500ms, 2s, 1m, 1h or PT1.5S");
    }
  }
}
