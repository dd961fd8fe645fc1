package dev.vigil.node.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guardian's TLS key and certificate, as two PEM files: the key (PKCS#8, owner-only) and the
 * certificate that binds it to the guardian key ({@link GuardianCertificates}).
 */
public final class TlsIdentity {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private final PrivateKey key;
  private final X509Certificate certificate;

  public TlsIdentity(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  public PrivateKey key() {
    return key;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * A server context with this key and certificate (TLS 1.3 and 1.2, no client certificates): for
   * the HTTP API over HTTPS.
   */
  public javax.net.ssl.SSLContext serverContext() {
    try {
      java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] none = new char[0];
      ks.setKeyEntry("api", key, none, new java.security.cert.Certificate[] {certificate});
      javax.net.ssl.KeyManagerFactory kmf =
          javax.net.ssl.KeyManagerFactory.getInstance(
              javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, none);
      javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, new java.security.SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up HTTPS: " + e.getMessage(), e);
    }
  }

  /** Reads both files; fails naming the file and what is wrong with it. */
  public static TlsIdentity load(Path keyFile, Path certFile) {
    byte[] der = pem(keyFile, "PRIVATE KEY");
    PrivateKey key;
    try {
      key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          keyFile + " is not an EC private key in PKCS#8 PEM: " + e.getMessage());
    }
    X509Certificate cert;
    try {
      cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(pem(certFile, "CERTIFICATE")));
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          certFile + " is not an X.509 certificate in PEM: " + e.getMessage());
    }
    if (!cert.getPublicKey().getAlgorithm().equals("EC")) {
      throw new IllegalArgumentException(
          certFile
              + " holds a "
              + cert.getPublicKey().getAlgorithm()
              + " key; a guardian's TLS key is EC P-256");
    }
    return new TlsIdentity(key, cert);
  }

  /** Writes new files (never overwrites): the key owner-only (0600), the certificate 0644. */
  public static void write(KeyPair tls, X509Certificate cert, Path keyFile, Path certFile)
      throws IOException {
    for (Path p : new Path[] {keyFile, certFile}) {
      if (Files.exists(p))
        throw new FileAlreadyExistsException(
            p + " exists; Vigil never overwrites a key or certificate file");
    }
    Files.createFile(
        keyFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        keyFile,
        pemOf("PRIVATE KEY", tls.getPrivate().getEncoded()),
        StandardOpenOption.TRUNCATE_EXISTING);
    try {
      Files.writeString(
          certFile, pemOf("CERTIFICATE", cert.getEncoded()), StandardOpenOption.CREATE_NEW);
    } catch (CertificateException e) {
      throw new IOException("cannot encode the certificate: " + e.getMessage(), e);
    }
  }

  static String pemOf(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] pem(Path file, String type) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        try {
          return Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              file + ": the " + type + " block is not base64: " + e.getMessage());
        }
      }
    }
    throw new IllegalArgumentException(file + " has no PEM block '-----BEGIN " + type + "-----'");
  }

  @Override
  public String toString() {
    return "TlsIdentity[" + certificate.getSubjectX500Principal().getName() + "]"; // never the key
  }
}
