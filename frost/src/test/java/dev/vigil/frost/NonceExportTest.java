package dev.vigil.frost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Frost#exportNonces} and {@link Frost#importNonces}: nonces that outlive a process. */
class NonceExportTest {
  private static final byte[] MESSAGE = "vigil attestation".getBytes(StandardCharsets.US_ASCII);
  private final Frost frost = Frost.create();
  private final SecureRandom random = FrostProtocolTest.seeded(0x5EEDL);
  private final KeyGeneration.Dealt dealt = KeyGeneration.trustedDealer(2, 3, random);

  @Test
  void importedNoncesHaveTheSameCommitmentAndMakeAShareThatVerifies() {
    KeyPackage k1 = dealt.keyPackage(1);
    SigningNonces n1 = frost.commit(k1, random);
    SigningNonces n2 = frost.commit(dealt.keyPackage(2), random);
    byte[] exported = frost.exportNonces(n1);
    assertThat(exported).hasSize(64);
    assertThat(n1.isUsed()).isFalse(); // exporting does not consume

    SigningNonces back = frost.importNonces(k1, exported);
    assertThat(back.commitment()).isEqualTo(n1.commitment());
    List<SigningCommitment> commitments = List.of(n1.commitment(), n2.commitment());
    SignatureShare fromImport = frost.sign(k1, back, MESSAGE, commitments);
    SignatureShare fromOriginal = frost.sign(k1, n1, MESSAGE, commitments);
    assertThat(fromImport).isEqualTo(fromOriginal);
    assertThat(
            frost.verifySignatureShare(
                fromImport,
                dealt.publicKeys().verifyingShare(1),
                commitments,
                dealt.publicKeys().groupKey(),
                MESSAGE))
        .isTrue();
    assertThatThrownBy(() -> frost.exportNonces(n1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already used");
  }

  @Test
  void badBytesAreRefusedWithoutEchoingThem() {
    KeyPackage k1 = dealt.keyPackage(1);
    assertThatThrownBy(() -> frost.importNonces(k1, new byte[63]))
        .hasMessageContaining("64 bytes, got 63 bytes");
    assertThatThrownBy(() -> frost.importNonces(k1, new byte[64]))
        .hasMessageContaining("hiding nonce is zero");
    byte[] over = new byte[64];
    Arrays.fill(over, (byte) 0xff);
    assertThatThrownBy(() -> frost.importNonces(k1, over))
        .hasMessageContaining("not below the group order")
        .message()
        .doesNotContain("ffff");
  }
}
