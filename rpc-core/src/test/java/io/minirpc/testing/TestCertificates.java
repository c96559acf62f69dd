package io.minirpc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway public key infrastructure for TLS tests, written as PEM files to a folder: a CA, a
 * server certificate it signed for {@code localhost} and {@code 127.0.0.1}, a client certificate it
 * signed, and a second CA that nobody trusts, with a client certificate of its own; and, from the
 * trusted CA, a server certificate that expired yesterday and one for another host. Keys are EC
 * P-256, in PKCS#8; certificates are valid from an hour ago for a day unless said otherwise.
 *
 * <pre>{@code
 * @TempDir Path dir;
 * TestCertificates pki = TestCertificates.createIn(dir);
 * ServerTls tls = ServerTls.builder().keyCertChain(pki.serverCertificate(), pki.serverKey()).build();
 * }</pre>
 */
public final class TestCertificates {

  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
  private static final GeneralNames LOCALHOST =
      new GeneralNames(
          new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")
          });

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** Makes both CAs and every certificate and key, and writes them into this folder. */
  public static TestCertificates createIn(Path dir) {
    try {
      Issued ca = selfSigned("minirpc test CA");
      Issued untrustedCa = selfSigned("minirpc untrusted test CA");
      Instant now = Instant.now();
      Instant from = now.minus(Duration.ofHours(1));
      Instant to = now.plus(Duration.ofDays(1));
      Issued server = ca.issue("localhost", KeyPurposeId.id_kp_serverAuth, LOCALHOST, from, to);
      Issued client =
          ca.issue("minirpc test client", KeyPurposeId.id_kp_clientAuth, null, from, to);
      Issued untrustedClient =
          untrustedCa.issue(
              "minirpc untrusted client", KeyPurposeId.id_kp_clientAuth, null, from, to);
      Issued untrustedServer =
          untrustedCa.issue("localhost", KeyPurposeId.id_kp_serverAuth, LOCALHOST, from, to);
      Issued expiredServer =
          ca.issue(
              "localhost",
              KeyPurposeId.id_kp_serverAuth,
              LOCALHOST,
              now.minus(Duration.ofDays(2)),
              now.minus(Duration.ofDays(1)));
      Issued otherHostServer =
          ca.issue(
              "users.example.com",
              KeyPurposeId.id_kp_serverAuth,
              new GeneralNames(new GeneralName(GeneralName.dNSName, "users.example.com")),
              from,
              to);
      ca.writeCertificate(dir.resolve("ca.pem"));
      untrustedCa.writeCertificate(dir.resolve("untrusted-ca.pem"));
      server.write(dir, "server");
      client.write(dir, "client");
      untrustedClient.write(dir, "untrusted-client");
      untrustedServer.write(dir, "untrusted-server");
      expiredServer.write(dir, "expired-server");
      otherHostServer.write(dir, "other-host-server");
      return new TestCertificates(dir);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make the test certificates: " + e, e);
    }
  }

  /** The CA that signed the server's and the client's certificates. */
  public Path caCertificate() {
    return dir.resolve("ca.pem");
  }

  /** The server's certificate, for {@code localhost} and {@code 127.0.0.1}. */
  public Path serverCertificate() {
    return dir.resolve("server.pem");
  }

  public Path serverKey() {
    return dir.resolve("server.key");
  }

  /** A client certificate the CA signed. */
  public Path clientCertificate() {
    return dir.resolve("client.pem");
  }

  public Path clientKey() {
    return dir.resolve("client.key");
  }

  /** A CA nobody trusts. */
  public Path untrustedCaCertificate() {
    return dir.resolve("untrusted-ca.pem");
  }

  /** A client certificate the untrusted CA signed. */
  public Path untrustedClientCertificate() {
    return dir.resolve("untrusted-client.pem");
  }

  public Path untrustedClientKey() {
    return dir.resolve("untrusted-client.key");
  }

  /** A server certificate for {@code localhost} and {@code 127.0.0.1} the untrusted CA signed. */
  public Path untrustedServerCertificate() {
    return dir.resolve("untrusted-server.pem");
  }

  public Path untrustedServerKey() {
    return dir.resolve("untrusted-server.key");
  }

  /** A server certificate for {@code localhost} and {@code 127.0.0.1} that expired yesterday. */
  public Path expiredServerCertificate() {
    return dir.resolve("expired-server.pem");
  }

  public Path expiredServerKey() {
    return dir.resolve("expired-server.key");
  }

  /** A server certificate the CA signed for {@code users.example.com} only. */
  public Path otherHostServerCertificate() {
    return dir.resolve("other-host-server.pem");
  }

  public Path otherHostServerKey() {
    return dir.resolve("other-host-server.key");
  }

  /** A JDK context that trusts the CA, for {@code java.net.http.HttpClient}. */
  public SSLContext clientSslContext() {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      try (var in = Files.newInputStream(caCertificate())) {
        trusted.setCertificateEntry(
            "ca",
            java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make an SSLContext trusting the test CA: " + e, e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static Issued selfSigned(String name)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPair keys = newKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        builder(
            subject, subject, keys, now.minus(Duration.ofDays(3)), now.plus(Duration.ofDays(1)));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new Issued(sign(builder, keys), keys);
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair keys, Instant from, Instant to)
      throws GeneralSecurityException, IOException {
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(SERIALS.incrementAndGet()),
            Date.from(from),
            Date.from(to),
            subject,
            keys.getPublic());
    builder.addExtension(
        Extension.subjectKeyIdentifier,
        false,
        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
    return builder;
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  /** A certificate and its key pair. */
  private record Issued(X509Certificate certificate, KeyPair keys) {

    /**
     * @param names the subject alternative names; {@code null} for none
     */
    Issued issue(
        String commonName, KeyPurposeId purpose, GeneralNames names, Instant from, Instant to)
        throws GeneralSecurityException, OperatorCreationException, IOException {
      KeyPair subjectKeys = newKeyPair();
      X509v3CertificateBuilder builder =
          builder(
              X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
              new X500Name("CN=" + commonName),
              subjectKeys,
              from,
              to);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
      if (names != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, names);
      }
      return new Issued(sign(builder, keys), subjectKeys);
    }

    void write(Path dir, String name) throws GeneralSecurityException, IOException {
      writeCertificate(dir.resolve(name + ".pem"));
      writePem(dir.resolve(name + ".key"), "PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    void writeCertificate(Path file) throws GeneralSecurityException, IOException {
      writePem(file, "CERTIFICATE", certificate.getEncoded());
    }
  }

  private static void writePem(Path file, String type, byte[] der) throws IOException {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    String pem = "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    try {
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
