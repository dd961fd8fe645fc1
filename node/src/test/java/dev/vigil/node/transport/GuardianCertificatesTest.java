package dev.vigil.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signer;
import dev.vigil.signing.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardianCertificatesTest {
  static final Secp256k1 BACKEND = Secp256k1Backends.preferred();
  static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  final Signer guardian = TestKeys.signer(1);

  @Test
  void aCertificateProvesTheGuardianThatBoundItsTlsKey() throws Exception {
    X509Certificate cert =
        GuardianCertificates.issue(
            GuardianCertificates.newTlsKeyPair(), guardian, NOW, Duration.ofDays(10));
    assertThat(GuardianCertificates.verify(cert, BACKEND, NOW)).isEqualTo(guardian.address());
    assertThat(GuardianCertificates.verify(cert, Secp256k1Backends.bouncyCastle(), NOW))
        .isEqualTo(guardian.address());
  }

  @Test
  void aBindingCopiedOntoAnotherTlsKeyRecoversToSomeoneElseAndIsRefused() throws Exception {
    X509Certificate honest =
        GuardianCertificates.issue(
            GuardianCertificates.newTlsKeyPair(), guardian, NOW, Duration.ofDays(10));
    byte[] binding = GuardianCertificates.bindingOf(honest);
    // a forger signs a certificate for its own TLS key, pasting the member's binding into it
    Signer forger =
        new Signer() {
          @Override
          public dev.vigil.signing.Address address() {
            return guardian.address();
          }

          @Override
          public dev.vigil.signing.Signature sign(byte[] digest32) {
            return dev.vigil.signing.Signature.fromBytes(
                binding, 1 + 20); // the member's signature, over another key
          }
        };
    X509Certificate forged =
        GuardianCertificates.issue(
            GuardianCertificates.newTlsKeyPair(), forger, NOW, Duration.ofDays(10));
    assertThatThrownBy(() -> GuardianCertificates.verify(forged, BACKEND, NOW))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("guardian binding names " + guardian.address().toChecksumHex())
        .hasMessageContaining("recovers to");
  }

  @Test
  void aCertificateWithoutBindingOrOutOfDateIsRefusedNamingWhy() throws Exception {
    X509Certificate cert =
        GuardianCertificates.issue(
            GuardianCertificates.newTlsKeyPair(), guardian, NOW, Duration.ofDays(10));
    assertThatThrownBy(
            () -> GuardianCertificates.verify(cert, BACKEND, NOW.plus(Duration.ofDays(11))))
        .hasMessageContaining("is not valid at");
    X509Certificate plain =
        TlsTestCerts.selfSignedWithoutBinding(GuardianCertificates.newTlsKeyPair());
    assertThatThrownBy(() -> GuardianCertificates.verify(plain, BACKEND, Instant.now()))
        .hasMessageContaining("carries no guardian binding");
  }

  @Test
  void keyAndCertificateFilesRoundTripAndTheKeyIsOwnerOnly(@TempDir Path dir) throws Exception {
    KeyPair kp = GuardianCertificates.newTlsKeyPair();
    X509Certificate cert = GuardianCertificates.issue(kp, guardian, NOW, Duration.ofDays(10));
    Path key = dir.resolve("tls.key");
    Path crt = dir.resolve("tls.crt");
    TlsIdentity.write(kp, cert, key, crt);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    TlsIdentity id = TlsIdentity.load(key, crt);
    assertThat(id.certificate()).isEqualTo(cert);
    assertThat(id.key().getEncoded()).isEqualTo(kp.getPrivate().getEncoded());
    assertThat(id.toString())
        .doesNotContain(
            java.util.HexFormat.of().formatHex(kp.getPrivate().getEncoded()).substring(0, 16));
    assertThatThrownBy(() -> TlsIdentity.write(kp, cert, key, crt))
        .hasMessageContaining("never overwrites");
    Files.writeString(dir.resolve("bad.crt"), "hello");
    assertThatThrownBy(() -> TlsIdentity.load(key, dir.resolve("bad.crt")))
        .hasMessageContaining("bad.crt has no PEM block");
  }
}
