package io.minirpc.auth;

import io.minirpc.ClientInterceptor;
import io.minirpc.ClientRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Signs every call of a client with a shared secret, for a server that checks them with {@link
 * HmacAuthenticator}: adds an {@code authorization} attachment of the MINIRPC-HMAC-SHA256 scheme,
 * an HMAC-SHA256 under the secret of the service, method, current time and a random nonce.
 *
 * <pre>{@code
 * RpcClient client = RpcClient.builder()
 *     .addresses("127.0.0.1:7070")
 *     .intercept(HmacCredentials.of("billing", secret))
 *     .build();
 * }</pre>
 *
 * <p>A REST caller sends the same value as its {@code Authorization} header; {@link
 * #authorization(String, String)} computes it. docs/SECURITY.md describes the scheme.
 */
public final class HmacCredentials implements ClientInterceptor {

  /** The attachment (and, lowered, the HTTP header) that carries the credential. */
  public static final String ATTACHMENT = "authorization";

  private static final Base64.Encoder NONCE_ENCODING = Base64.getUrlEncoder().withoutPadding();

  private final String keyId;
  private final byte[] secret;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private HmacCredentials(String keyId, byte[] secret, Clock clock) {
    this.keyId = HmacAuthenticator.checkKeyId(keyId);
    this.secret = HmacAuthenticator.checkSecret(secret);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Credentials of this key id and secret, timed by the system clock.
   *
   * @throws IllegalArgumentException if the key id is not 1 to 128 letters, digits, '-', '_', '.'
   *     or ':', or the secret has fewer than 16 bytes
   */
  public static HmacCredentials of(String keyId, byte[] secret) {
    return new HmacCredentials(keyId, secret, Clock.systemUTC());
  }

  /** Credentials timed by this clock: for tests, and for a caller whose clock is known to drift. */
  public static HmacCredentials of(String keyId, byte[] secret, Clock clock) {
    return new HmacCredentials(keyId, secret, clock);
  }

  /**
   * A fresh credential for one call of this method, as the {@code authorization} attachment or the
   * {@code Authorization} header of a REST call carries it.
   *
   * @param service the service key: its name, plus {@code :version} when it has one
   * @param method the method's name
   */
  public String authorization(String service, String method) {
    long timestamp = clock.millis() / 1000;
    byte[] nonceBytes = new byte[16];
    random.nextBytes(nonceBytes);
    String nonce = NONCE_ENCODING.encodeToString(nonceBytes);
    byte[] signature =
        HmacSignature.sign(
            secret, HmacSignature.stringToSign(keyId, timestamp, nonce, service, method));
    return HmacSignature.format(keyId, timestamp, nonce, signature);
  }

  @Override
  public CompletableFuture<Object> interceptCall(ClientRequest request, Next next) {
    return next.proceed(
        request.withAttachment(ATTACHMENT, authorization(request.service(), request.method())));
  }

  @Override
  public String toString() {
    return "HmacCredentials{key=" + keyId + "}";
  }
}
