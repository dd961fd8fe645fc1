package dev.vigil.node.transport;

import dev.vigil.signing.Address;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Signature;
import dev.vigil.signing.Signer;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A guardian's TLS certificate binds its TLS key to its guardian key with no certificate authority:
 * the certificate is self-signed by the TLS key (an EC P-256 key, which every TLS stack speaks) and
 * carries an extension in which the guardian key signs that TLS public key. A peer that completes a
 * handshake with it has proven that it holds a TLS key the guardian authorised; checking the
 * guardian address against the committee proves "member i of committee k".
 *
 * <p>The binding is {@code version 1 | guardian address (20 B) | signature (65 B: r, s, v)} over
 * {@code keccak256("vigil/tls-binding/v1" | SubjectPublicKeyInfo DER)}. The domain prefix keeps it
 * apart from anything else a guardian signs (message digests are keccak256 of keccak256 of a body).
 */
public final class GuardianCertificates {
  /** The binding extension's OID: a UUID OID (2.25, ITU-T X.667), needing no registration. */
  public static final ASN1ObjectIdentifier BINDING_OID =
      new ASN1ObjectIdentifier("2.25.173163873663570408506558680234138722871");

  static final byte[] DOMAIN = "vigil/tls-binding/v1".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int BINDING_LENGTH = 1 + Address.LENGTH + Signature.LENGTH;

  /**
   * Certificates are re-made with the key (vigil keygen --tls); ten years keeps expiry out of the
   * way.
   */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);

  private GuardianCertificates() {}

  /** A fresh EC P-256 TLS key pair. */
  public static KeyPair newTlsKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make EC P-256 keys: " + e.getMessage(), e);
    }
  }

  /** The digest the guardian key signs to authorise {@code tlsPublicKey}. */
  static byte[] bindingDigest(PublicKey tlsPublicKey) {
    byte[] spki = tlsPublicKey.getEncoded();
    byte[] msg = Arrays.copyOf(DOMAIN, DOMAIN.length + spki.length);
    System.arraycopy(spki, 0, msg, DOMAIN.length, spki.length);
    return Keccak256.hash(msg);
  }

  /**
   * A self-signed certificate for {@code tls}, carrying {@code guardian}'s signature over its
   * public key.
   */
  public static X509Certificate issue(
      KeyPair tls, Signer guardian, Instant now, Duration validity) {
    Signature sig = guardian.sign(bindingDigest(tls.getPublic()));
    byte[] binding = new byte[BINDING_LENGTH];
    binding[0] = VERSION;
    System.arraycopy(guardian.address().toBytes(), 0, binding, 1, Address.LENGTH);
    System.arraycopy(sig.toBytes(), 0, binding, 1 + Address.LENGTH, Signature.LENGTH);
    X500Name name = new X500Name("CN=vigil guardian " + guardian.address().toChecksumHex());
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(validity)),
              name,
              tls.getPublic());
      b.addExtension(BINDING_OID, false, new DEROctetString(binding));
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(tls.getPrivate())));
    } catch (IOException | OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("cannot make the TLS certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The guardian address a certificate is bound to, after checking that it is self-signed and valid
   * at {@code now} and that the binding recovers to the address it names. Throws naming what
   * failed.
   */
  public static Address verify(X509Certificate cert, Secp256k1 backend, Instant now)
      throws CertificateException {
    try {
      cert.verify(cert.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException(
          "certificate is not self-signed by its own key: " + e.getMessage());
    }
    if (now.isBefore(cert.getNotBefore().toInstant())
        || now.isAfter(cert.getNotAfter().toInstant())) {
      throw new CertificateException(
          "certificate is not valid at "
              + now
              + " (valid "
              + cert.getNotBefore().toInstant()
              + " to "
              + cert.getNotAfter().toInstant()
              + ")");
    }
    byte[] binding;
    try {
      binding = bindingOf(cert);
    } catch (RuntimeException e) {
      throw new CertificateException("guardian binding is not DER: " + e.getMessage());
    }
    if (binding == null)
      throw new CertificateException(
          "certificate carries no guardian binding (extension " + BINDING_OID.getId() + ")");
    if (binding.length != BINDING_LENGTH || binding[0] != VERSION) {
      throw new CertificateException(
          "guardian binding is malformed ("
              + binding.length
              + " bytes, version "
              + (binding.length > 0 ? binding[0] : -1)
              + ")");
    }
    Address claimed = Address.wrap(Arrays.copyOfRange(binding, 1, 1 + Address.LENGTH));
    Signature sig;
    try {
      sig = Signature.fromBytes(binding, 1 + Address.LENGTH);
    } catch (IllegalArgumentException e) {
      throw new CertificateException("guardian binding signature is malformed: " + e.getMessage());
    }
    Address signer = backend.recoverAddress(bindingDigest(cert.getPublicKey()), sig);
    if (!claimed.equals(signer)) {
      throw new CertificateException(
          "guardian binding names "
              + claimed.toChecksumHex()
              + " but its signature over this TLS key recovers to "
              + (signer == null ? "no address" : signer.toChecksumHex()));
    }
    return claimed;
  }

  /**
   * The binding's bytes (the extension value is a DER OCTET STRING of them), or null without one.
   */
  static byte[] bindingOf(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(BINDING_OID.getId());
    if (ext == null) return null;
    byte[] extnValue = ASN1OctetString.getInstance(ext).getOctets();
    return ASN1OctetString.getInstance(extnValue).getOctets();
  }
}
