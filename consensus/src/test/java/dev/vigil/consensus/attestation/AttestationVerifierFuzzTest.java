package dev.vigil.consensus.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.consensus.testing.MainnetVectors;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Secp256k1Backends;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fuzzes {@link AttestationVerifier#verify(byte[])} against a fixed committee (mainnet guardian set
 * 4, seeded with the two real VAAs it signed): it never throws, both secp256k1 backends give the
 * same verdict, the byte and the decoded form agree, and nothing but a real VAA is ever VALID.
 */
class AttestationVerifierFuzzTest {
  private static final CommitteeSource SET4 = CommitteeHistory.of(MainnetVectors.guardianSet4());
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);
  private static final AttestationVerifier PREFERRED =
      new AttestationVerifier(
          SET4, Secp256k1Backends.preferred(), NOW, AttestationVerifier.DEFAULT_EXPIRY_WINDOW);
  private static final AttestationVerifier BOUNCY_CASTLE =
      new AttestationVerifier(
          SET4, Secp256k1Backends.bouncyCastle(), NOW, AttestationVerifier.DEFAULT_EXPIRY_WINDOW);

  /** Signatures cannot be forged by a fuzzer, so only these digests can ever verify. */
  private static final Set<Digest> SIGNED =
      MainnetVectors.vaas().stream().map(MainnetVectors.Vaa::digest).collect(Collectors.toSet());

  @FuzzTest(maxDuration = "5s")
  void verify(byte[] bytes) {
    Verdict verdict = PREFERRED.verify(bytes);
    assertThat(BOUNCY_CASTLE.verify(bytes)).as("Bouncy Castle backend").isEqualTo(verdict);
    switch (AttestationCodec.decode(bytes)) {
      case DecodeResult.Ok<Attestation> ok -> {
        assertThat(PREFERRED.verify(ok.value()))
            .as("verdict on the decoded form")
            .isEqualTo(verdict);
        if (verdict.isValid()) {
          assertThat(SIGNED).contains(ok.value().digest());
          assertThat(ok.value().signatures().size())
              .isGreaterThanOrEqualTo(MainnetVectors.guardianSet4().quorum());
        }
      }
      case DecodeResult.Err<Attestation> err ->
          assertThat(verdict.isValid()).as("undecodable but " + verdict).isFalse();
    }
  }
}
