package io.minirpc.http;

import io.minirpc.Attachments;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.internal.protocol.AttachmentLimits;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Maps the headers of a REST call onto the attachments a minirpc call would carry: {@code
 * Authorization} becomes {@code authorization}, and {@code X-Minirpc-Attachment-<key>} becomes
 * {@code <key>} (in lower case). Other headers are HTTP's own business and are not attachments.
 */
final class RestAttachments {

  /** The prefix of headers that carry one attachment each. */
  static final String PREFIX = "x-minirpc-attachment-";

  private RestAttachments() {}

  /**
   * The attachments these headers carry, within the limits.
   *
   * @throws RpcException RESOURCE_EXHAUSTED over the limits, INVALID_ARGUMENT for a key that is not
   *     a valid attachment key or a header given twice
   */
  static Attachments of(HttpHeaders headers, AttachmentLimits limits) {
    Map<String, String> entries = null;
    long bytes = 0;
    Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> header = it.next();
      String key = keyOf(header.getKey());
      if (key == null) {
        continue;
      }
      if (entries == null) {
        entries = new HashMap<>();
      }
      String value = header.getValue().toString();
      if (entries.put(key, value) != null) {
        throw Status.INVALID_ARGUMENT
            .withDescription("attachment '" + key + "' is given twice; send it once")
            .asException();
      }
      bytes += key.length() + value.getBytes(StandardCharsets.UTF_8).length;
      String refusal = limits.refusal(entries.size(), bytes);
      if (refusal != null) {
        throw Status.RESOURCE_EXHAUSTED.withDescription(refusal).asException();
      }
    }
    return entries == null ? Attachments.EMPTY : Attachments.of(entries);
  }

  /** The attachment key of this header, or {@code null} if it carries none. */
  private static String keyOf(CharSequence name) {
    if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.AUTHORIZATION)) {
      return "authorization";
    }
    if (name.length() <= PREFIX.length()
        || !AsciiString.regionMatches(name, true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    String key = name.subSequence(PREFIX.length(), name.length()).toString();
    if (!Attachments.isValidKey(key)) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "header "
                  + name
                  + " does not name a valid attachment key: 1 to "
                  + Attachments.MAX_KEY_LENGTH
                  + " ASCII letters, digits, '-', '_' or '.'")
          .asException();
    }
    return Attachments.normalizeKey(key);
  }
}
