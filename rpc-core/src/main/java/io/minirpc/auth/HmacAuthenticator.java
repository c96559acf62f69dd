package io.minirpc.auth;

import io.minirpc.RpcException;
import io.minirpc.ServerCallContext;
import io.minirpc.ServerInterceptor;
import io.minirpc.Status;
import io.minirpc.health.Health;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets through only calls signed by {@link HmacCredentials} with one of the server's shared
 * secrets, over the minirpc protocol and the REST bridge alike; answers any other call
 * UNAUTHENTICATED (HTTP 401) before its arguments are decoded, so that the service's code never
 * runs for it. The REST bridge's service listing is checked too, as method {@code listServices} of
 * service {@value io.minirpc.ServerInterceptor#REFLECTION_SERVICE}: a caller signs it like a call
 * of that method.
 *
 * <p>Health checks (method {@code check} of service {@value Health#SERVICE}, {@code GET /health}
 * over REST) pass unsigned, unless {@link Builder#requireSignedHealthChecks()} is set, so that load
 * balancers and Kubernetes probes, which cannot sign, can ask them: they tell only whether the
 * server and each service it exports are serving, and whether a service of a given name is
 * exported, which an unsigned call of it tells too (unknown services are refused NOT_FOUND before
 * any interceptor, known ones UNAUTHENTICATED). A signed health check is checked like any call.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder()
 *     .addService(new UserServiceImpl())
 *     .intercept(HmacAuthenticator.builder().key("billing", secret).build())
 *     .build();
 * }</pre>
 *
 * <p>A credential must name a known key id, carry a timestamp within {@link
 * Builder#maxClockSkew(Duration)} of the server's clock (5 minutes when not set), and a signature
 * of exactly this service and method under that key's secret, compared in constant time. It does
 * not sign the arguments. Unless {@link Builder#rejectReplays(int)} is set, a captured credential
 * may be replayed for the same method until its timestamp is too old: use it over a trusted network
 * or TLS.
 */
public final class HmacAuthenticator implements ServerInterceptor {

  /** What a caller is told when its key id is unknown or its signature wrong: never which. */
  static final String REJECTED = "credential rejected: unknown key or wrong signature";

  private static final int MIN_SECRET_BYTES = 16;

  private final Map<String, byte[]> secrets;
  private final long maxSkewSeconds;
  private final Clock clock;

  /** Nonces seen within the window, by key id and nonce, to when they may be forgotten; or null. */
  private final ConcurrentHashMap<String, Long> seenNonces;

  private final int maxRemembered;
  private final boolean signedHealthChecks;

  /** Signs for unknown key ids, so that they take as long to refuse as wrong signatures. */
  private final byte[] decoySecret = new byte[32];

  private HmacAuthenticator(Builder b) {
    this.secrets = Map.copyOf(b.secrets);
    this.maxSkewSeconds = b.maxClockSkew.toSeconds();
    this.clock = b.clock;
    this.maxRemembered = b.maxRemembered;
    this.signedHealthChecks = b.signedHealthChecks;
    this.seenNonces = b.maxRemembered > 0 ? new ConcurrentHashMap<>() : null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Checks the call's credential, and serves the call only if it passes. */
  @Override
  public CompletableFuture<Object> interceptCall(ServerCallContext call, Next next) {
    check(call);
    return next.proceed(call);
  }

  private void check(ServerCallContext call) {
    String value = call.attachments().get(HmacCredentials.ATTACHMENT);
    if (value == null) {
      // No application service can be named so: the server refuses to export one.
      if (!signedHealthChecks && call.service().equals(Health.SERVICE)) {
        return;
      }
      throw unauthenticated(
          "missing credential: this server requires an 'authorization' attachment (the"
              + " Authorization header over REST) of the "
              + HmacSignature.SCHEME
              + " scheme");
    }
    HmacSignature.Credential credential = HmacSignature.parse(value);
    if (credential == null) {
      throw unauthenticated(
          "malformed credential: expected '"
              + HmacSignature.SCHEME
              + " key=<key id>, ts=<unix seconds>, nonce=<random>, sig=<base64url signature>'");
    }
    long now = clock.millis() / 1000;
    long skew = Math.abs(now - credential.timestampSeconds());
    if (skew > maxSkewSeconds) {
      throw unauthenticated(
          "credential expired: its timestamp is "
              + skew
              + " s away from the server's clock, over the "
              + maxSkewSeconds
              + " s allowed; sign each call afresh, and check the caller's clock");
    }
    byte[] secret = secrets.get(credential.keyId());
    byte[] expected =
        HmacSignature.sign(
            secret == null ? decoySecret : secret,
            HmacSignature.stringToSign(
                credential.keyId(),
                credential.timestampSeconds(),
                credential.nonce(),
                call.service(),
                call.method()));
    // Constant time: how many leading bytes match must not show in how long the answer takes.
    if (!MessageDigest.isEqual(expected, credential.signature()) || secret == null) {
      throw unauthenticated(REJECTED);
    }
    if (seenNonces != null) {
      // Only signed nonces are remembered: without a key, nobody can fill this memory.
      rememberOnce(credential, now);
    }
  }

  private void rememberOnce(HmacSignature.Credential credential, long now) {
    String key = credential.keyId() + " " + credential.nonce();
    // Past this, the timestamp check refuses the credential anyway.
    long forgetAt = credential.timestampSeconds() + maxSkewSeconds + 1;
    if (seenNonces.size() >= maxRemembered) {
      seenNonces.values().removeIf(until -> until < now);
      if (seenNonces.size() >= maxRemembered) {
        throw Status.RESOURCE_EXHAUSTED
            .withDescription(
                "too many calls within the credential window to check them for replays; try"
                    + " again later")
            .asException();
      }
    }
    if (seenNonces.putIfAbsent(key, forgetAt) != null) {
      throw unauthenticated("credential already used: sign each call afresh, with a new nonce");
    }
  }

  private static RpcException unauthenticated(String description) {
    return Status.UNAUTHENTICATED.withDescription(description).asException();
  }

  static String checkKeyId(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    if (keyId.isEmpty() || !HmacSignature.isToken(keyId)) {
      throw new IllegalArgumentException(
          "a key id is 1 to 128 ASCII letters, digits, '-', '_', '.' or ':', not '" + keyId + "'");
    }
    return keyId;
  }

  static byte[] checkSecret(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "a secret must have at least "
              + MIN_SECRET_BYTES
              + " bytes (32 random bytes recommended), not "
              + secret.length);
    }
    return secret.clone();
  }

  @Override
  public String toString() {
    return "HmacAuthenticator{keys=" + secrets.keySet() + "}";
  }

  /** Configures an {@link HmacAuthenticator}. */
  public static final class Builder {
    private final Map<String, byte[]> secrets = new HashMap<>();
    private Duration maxClockSkew = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();
    private int maxRemembered;
    private boolean signedHealthChecks;

    private Builder() {}

    /**
     * Refuses unsigned health checks too, as any other call: for a server whose serving states are
     * nobody's business but its signed callers'. Load balancers and Kubernetes probes, which cannot
     * sign, then cannot ask them. Unsigned health checks pass when not set.
     */
    public Builder requireSignedHealthChecks() {
      this.signedHealthChecks = true;
      return this;
    }

    /**
     * Refuses a credential whose nonce was seen before (UNAUTHENTICATED, "credential already
     * used"), remembering the nonces of up to {@code maxRemembered} calls within the clock-skew
     * window, each for as long as its timestamp is acceptable. When that many are remembered and
     * none has expired, further calls are refused with RESOURCE_EXHAUSTED. Off when not set. Size
     * it above the calls per second times twice the window.
     */
    public Builder rejectReplays(int maxRemembered) {
      if (maxRemembered < 1) {
        throw new IllegalArgumentException("maxRemembered must be positive: " + maxRemembered);
      }
      this.maxRemembered = maxRemembered;
      return this;
    }

    /**
     * Accepts calls signed with this secret under this key id. Add several to rotate secrets: the
     * new one first on the servers, then on the callers, then remove the old one.
     *
     * @throws IllegalArgumentException if the key id is invalid or given twice, or the secret has
     *     fewer than 16 bytes
     */
    public Builder key(String keyId, byte[] secret) {
      checkKeyId(keyId);
      byte[] copy = checkSecret(secret);
      if (secrets.putIfAbsent(keyId, copy) != null) {
        throw new IllegalArgumentException("key '" + keyId + "' is given twice");
      }
      return this;
    }

    /**
     * How far a credential's timestamp may be from the server's clock, either way; 5 minutes when
     * not set. The shorter, the sooner a captured credential is useless, and the better the
     * callers' clocks must be.
     */
    public Builder maxClockSkew(Duration maxClockSkew) {
      Objects.requireNonNull(maxClockSkew, "maxClockSkew");
      if (maxClockSkew.toSeconds() < 1) {
        throw new IllegalArgumentException(
            "maxClockSkew must be at least 1 second: " + maxClockSkew);
      }
      this.maxClockSkew = maxClockSkew;
      return this;
    }

    /** The clock timestamps are checked against; the system's when not set. For tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * An authenticator of these keys.
     *
     * @throws IllegalArgumentException if no key was added
     */
    public HmacAuthenticator build() {
      if (secrets.isEmpty()) {
        throw new IllegalArgumentException("add at least one key");
      }
      return new HmacAuthenticator(this);
    }
  }
}
