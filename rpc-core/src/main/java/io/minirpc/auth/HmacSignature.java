package io.minirpc.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MINIRPC-HMAC-SHA256 credential: what is signed, how, and how it is written in the {@code
 * authorization} attachment (the {@code Authorization} header over REST):
 *
 * <pre>
 * MINIRPC-HMAC-SHA256 key=&lt;key id&gt;, ts=&lt;unix seconds&gt;, nonce=&lt;random&gt;, sig=&lt;signature&gt;
 *
 * signature = base64url-without-padding(HMAC-SHA256(secret, string to sign))
 * string to sign = "MINIRPC-HMAC-SHA256\n" + key id + "\n" + ts + "\n" + nonce + "\n"
 *                  + service key + "\n" + method name          (UTF-8, no trailing newline)
 * </pre>
 *
 * <p>The service key is the service's name plus {@code :version} when it has one ({@code
 * test.Calls:1}), exactly as in a REST call's path.
 */
final class HmacSignature {

  static final String SCHEME = "MINIRPC-HMAC-SHA256";

  private static final String ALGORITHM = "HmacSHA256";
  private static final int MAX_FIELD_LENGTH = 128;

  /** The fields of a credential as read from an attachment; not yet checked. */
  record Credential(String keyId, long timestampSeconds, String nonce, byte[] signature) {}

  private HmacSignature() {}

  static String stringToSign(
      String keyId, long timestampSeconds, String nonce, String service, String method) {
    return SCHEME
        + "\n"
        + keyId
        + "\n"
        + timestampSeconds
        + "\n"
        + nonce
        + "\n"
        + service
        + "\n"
        + method;
  }

  static byte[] sign(byte[] secret, String stringToSign) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      return mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime must provide HmacSHA256.
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  static String format(String keyId, long timestampSeconds, String nonce, byte[] signature) {
    return SCHEME
        + " key="
        + keyId
        + ", ts="
        + timestampSeconds
        + ", nonce="
        + nonce
        + ", sig="
        + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  /** The credential written in this value, or {@code null} if it is not one. */
  static Credential parse(String value) {
    if (value.length() > 4 * MAX_FIELD_LENGTH || !value.startsWith(SCHEME + " ")) {
      return null;
    }
    String keyId = null;
    String ts = null;
    String nonce = null;
    String sig = null;
    for (String part : value.substring(SCHEME.length() + 1).split(",", 5)) {
      String field = part.strip();
      int eq = field.indexOf('=');
      if (eq <= 0) {
        return null;
      }
      String name = field.substring(0, eq);
      String fieldValue = field.substring(eq + 1);
      if (fieldValue.isEmpty() || !isToken(fieldValue)) {
        return null;
      }
      switch (name) {
        case "key" -> keyId = keyId == null ? fieldValue : "";
        case "ts" -> ts = ts == null ? fieldValue : "";
        case "nonce" -> nonce = nonce == null ? fieldValue : "";
        case "sig" -> sig = sig == null ? fieldValue : "";
        default -> {
          return null;
        }
      }
    }
    if (keyId == null
        || keyId.isEmpty()
        || nonce == null
        || nonce.isEmpty()
        || sig == null
        || sig.isEmpty()
        || ts == null
        || ts.isEmpty()
        || ts.length() > 12) {
      return null;
    }
    long timestamp = 0;
    for (int i = 0; i < ts.length(); i++) {
      char c = ts.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      timestamp = timestamp * 10 + (c - '0');
    }
    byte[] signature;
    try {
      signature = Base64.getUrlDecoder().decode(sig);
    } catch (IllegalArgumentException e) {
      return null;
    }
    // The JDK's decoder ignores the unused low bits of the last character, so several spellings
    // decode to one signature: only the one the signer writes is accepted.
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(signature).equals(sig)) {
      return null;
    }
    return new Credential(keyId, timestamp, nonce, signature);
  }

  /** Letters, digits and {@code - _ . :}: what key ids, nonces and signatures are made of. */
  static boolean isToken(String s) {
    if (s.length() > MAX_FIELD_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean valid =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == ':';
      if (!valid) {
        return false;
      }
    }
    return true;
  }
}
