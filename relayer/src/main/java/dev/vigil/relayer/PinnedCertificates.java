package dev.vigil.relayer;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly the given certificates (pinned): a server is accepted when the certificate it
 * presents is one of them and in date. No certificate authority and no host name are involved, so a
 * guardian's self-signed certificate works as it is; anything else fails the handshake, naming the
 * certificate it presented.
 */
final class PinnedCertificates extends X509ExtendedTrustManager {
  private final List<X509Certificate> pinned;

  private PinnedCertificates(List<X509Certificate> pinned) {
    this.pinned = List.copyOf(pinned);
  }

  /** Reads each PEM file (every certificate in it); fails naming the file. */
  static PinnedCertificates load(List<Path> files) {
    List<X509Certificate> certs = new ArrayList<>();
    for (Path f : files) {
      int before = certs.size();
      try (InputStream in = Files.newInputStream(f)) {
        for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in))
          certs.add((X509Certificate) c);
      } catch (IOException | CertificateException e) {
        throw new IllegalArgumentException(
            "trusted certificate " + f + " cannot be read as PEM: " + e.getMessage(), e);
      }
      if (certs.size() == before)
        throw new IllegalArgumentException("trusted certificate " + f + " holds no certificate");
    }
    return new PinnedCertificates(certs);
  }

  /** A client context that trusts these certificates only. */
  SSLContext context() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {this}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0)
      throw new CertificateException("the server presented no certificate");
    X509Certificate leaf = chain[0];
    if (!pinned.contains(leaf)) {
      throw new CertificateException(
          "the server's certificate "
              + leaf.getSubjectX500Principal()
              + " (SHA-256 "
              + fingerprint(leaf)
              + ") is not one of the relayer's trusted-certificates");
    }
    leaf.checkValidity();
  }

  private static String fingerprint(X509Certificate c) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    } catch (GeneralSecurityException e) {
      return "?";
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("the relayer does not accept clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("the relayer does not accept clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("the relayer does not accept clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pinned.toArray(new X509Certificate[0]);
  }
}
