package io.minirpc.internal.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

/**
 * Says in words why a TLS connection failed: a certificate nobody trusts, a certificate for another
 * host, a missing client certificate, a peer that does not speak TLS. The JDK and OpenSSL word
 * these differently, and bury the reason in a chain of causes.
 */
public final class TlsFailures {

  private static final List<String> NAME_MISMATCH =
      List.of("no subject alternative", "no name matching");
  private static final List<String> UNTRUSTED =
      List.of("unable to find valid certification path", "pkix path", "certificate_verify_failed");
  private static final List<String> NO_CLIENT_CERTIFICATE =
      List.of(
          "empty client certificate chain", "null cert chain", "peer_did_not_return_a_certificate");
  private static final List<String> CERTIFICATE_REQUIRED = List.of("certificate_required");
  private static final List<String> CERTIFICATE_REFUSED =
      List.of(
          "bad_certificate",
          "unknown_ca",
          "certificate_unknown",
          "certificate_expired",
          "certificate_revoked",
          "unsupported_certificate",
          "access_denied");
  private static final List<String> ALERT = List.of("alert");
  private static final List<String> CLOSED_IN_HANDSHAKE =
      List.of("connection closed while ssl/tls handshake");

  private TlsFailures() {}

  /** Whether the failure comes from TLS (rather than from the protocol behind it). */
  public static boolean isTls(Throwable failure) {
    return find(failure, t -> t instanceof SSLException) != null;
  }

  /** Whether the peer merely closed the connection during the handshake, as a port probe does. */
  static boolean isHangUp(Throwable failure) {
    return find(failure, ClosedChannelException.class::isInstance) != null
        || findMessage(failure, CLOSED_IN_HANDSHAKE) != null;
  }

  /**
   * Why the connection failed, as seen from one side.
   *
   * @param peer the other side: "server" or "client"
   * @param self this side
   */
  public static String describe(Throwable failure, String peer, String self) {
    Throwable t;
    if ((t = find(failure, SslHandshakeTimeoutException.class::isInstance)) != null) {
      return "the handshake did not finish in time (" + t.getMessage() + ")";
    }
    if (find(failure, NotSslRecordException.class::isInstance) != null) {
      return "the " + peer + " does not speak TLS";
    }
    if ((t = findMessage(failure, NAME_MISMATCH)) != null) {
      return "the "
          + peer
          + "'s certificate does not name the host it was reached as (hostname verification): "
          + t.getMessage();
    }
    if ((t = find(failure, TlsFailures::isOutOfValidity)) != null) {
      return "the " + peer + "'s certificate has expired or is not valid yet: " + t.getMessage();
    }
    if ((t = find(failure, TlsFailures::isCertPathFailure)) != null
        || (t = findMessage(failure, UNTRUSTED)) != null) {
      return "the " + peer + "'s certificate is not signed by a trusted CA: " + t.getMessage();
    }
    if ((t = findMessage(failure, NO_CLIENT_CERTIFICATE)) != null) {
      return "the client sent no certificate signed by a CA this server trusts ("
          + t.getMessage()
          + ")";
    }
    if ((t = findMessage(failure, CERTIFICATE_REQUIRED)) != null) {
      return "the server requires a client certificate signed by a CA it trusts, and the client"
          + " sent none ("
          + t.getMessage()
          + ")";
    }
    if ((t = findMessage(failure, CERTIFICATE_REFUSED)) != null) {
      // A server that refuses a client says so with the same alerts whether the client sent an
      // untrusted certificate or none (the JDK's), so the client cannot tell which.
      return "the "
          + peer
          + " refused the "
          + self
          + ("server".equals(peer) ? "'s certificate, or its lack of one (" : "'s certificate (")
          + t.getMessage()
          + ")";
    }
    if ((t = findMessage(failure, ALERT)) != null) {
      return "the " + peer + " ended the handshake with an alert (" + t.getMessage() + ")";
    }
    if (isHangUp(failure)) {
      return "the " + peer + " closed the connection during the handshake (does it speak TLS?)";
    }
    t = find(failure, x -> x instanceof SSLException && x.getMessage() != null);
    return String.valueOf((t != null ? t : failure).getMessage());
  }

  private static boolean isOutOfValidity(Throwable t) {
    return t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException;
  }

  private static boolean isCertPathFailure(Throwable t) {
    return t instanceof CertPathBuilderException || t instanceof CertPathValidatorException;
  }

  private static Throwable findMessage(Throwable failure, List<String> fragments) {
    return find(
        failure,
        t -> {
          if (t.getMessage() == null) {
            return false;
          }
          String message = t.getMessage().toLowerCase(Locale.ROOT);
          return fragments.stream().anyMatch(message::contains);
        });
  }

  private static Throwable find(Throwable failure, Predicate<Throwable> test) {
    // Bounded, since a cause chain may loop.
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (test.test(t)) {
        return t;
      }
    }
    return null;
  }
}
