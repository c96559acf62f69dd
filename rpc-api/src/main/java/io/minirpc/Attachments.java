package io.minirpc;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The metadata a request carries besides its arguments: string keys to string values, such as a
 * credential, a trace id or a tenant. Immutable; derive new ones with {@link #with(String,
 * String)}.
 *
 * <p>Keys are ASCII and case-insensitive like HTTP header names: they are kept in lower case, so
 * {@code "Authorization"} and {@code "authorization"} are the same key, and the REST bridge maps
 * the {@code Authorization} header onto it. A key is 1 to 255 of the characters {@code a-z 0-9 - _
 * .}; upper-case letters are lowered.
 *
 * <pre>{@code
 * Attachments a = Attachments.EMPTY.with("tenant", "acme");
 * String tenant = ServerCallContext.current().attachments().get("Tenant"); // "acme"
 * }</pre>
 *
 * <p>{@link #toString()} lists the keys only: values are often secrets.
 */
public final class Attachments {

  /** No attachments: a request without any is sent exactly as it would be without this feature. */
  public static final Attachments EMPTY = new Attachments(Collections.emptySortedMap());

  /** The longest key accepted. */
  public static final int MAX_KEY_LENGTH = 255;

  private final Map<String, String> values;

  private Attachments(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Attachments of these entries.
   *
   * @throws IllegalArgumentException if a key is not a valid key, or two keys differ only in case
   */
  public static Attachments of(Map<String, String> entries) {
    Objects.requireNonNull(entries, "entries");
    TreeMap<String, String> copy = new TreeMap<>();
    entries.forEach(
        (key, value) -> {
          String normalized = normalizeKey(key);
          if (copy.put(normalized, Objects.requireNonNull(value, "value of " + normalized))
              != null) {
            throw new IllegalArgumentException("attachment key '" + normalized + "' given twice");
          }
        });
    return copy.isEmpty() ? EMPTY : new Attachments(Collections.unmodifiableSortedMap(copy));
  }

  /**
   * These attachments with one more entry, replacing the value of the same key if there is one.
   *
   * @throws IllegalArgumentException if the key is not a valid key
   */
  public Attachments with(String key, String value) {
    String normalized = normalizeKey(key);
    Objects.requireNonNull(value, "value");
    TreeMap<String, String> copy = new TreeMap<>(values);
    copy.put(normalized, value);
    return new Attachments(Collections.unmodifiableSortedMap(copy));
  }

  /** The value of this key, in any case, or {@code null} if there is none. */
  public String get(String key) {
    return key == null ? null : values.get(lowerAscii(key));
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public int size() {
    return values.size();
  }

  /** The entries, keys in lower case and in order; unmodifiable. */
  public Map<String, String> asMap() {
    return values;
  }

  /**
   * The key in lower case.
   *
   * @throws IllegalArgumentException if it is empty, longer than {@value #MAX_KEY_LENGTH}, or has a
   *     character other than ASCII letters, digits, '-', '_' and '.'
   */
  public static String normalizeKey(String key) {
    Objects.requireNonNull(key, "key");
    if (!isValidKey(key)) {
      throw new IllegalArgumentException(
          "an attachment key is 1 to "
              + MAX_KEY_LENGTH
              + " ASCII letters, digits, '-', '_' or '.', not '"
              + key
              + "'");
    }
    return lowerAscii(key);
  }

  /** Whether this is a valid key, in any case. */
  public static boolean isValidKey(CharSequence key) {
    int length = key.length();
    if (length == 0 || length > MAX_KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = key.charAt(i);
      boolean valid =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.';
      if (!valid) {
        return false;
      }
    }
    return true;
  }

  private static String lowerAscii(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = key.toCharArray();
        for (int j = i; j < chars.length; j++) {
          if (chars[j] >= 'A' && chars[j] <= 'Z') {
            chars[j] += 'a' - 'A';
          }
        }
        return new String(chars);
      }
    }
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attachments other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "Attachments" + values.keySet();
  }
}
