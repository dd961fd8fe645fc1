package dev.vigil.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class BouncyCastleSecp256k1Test {
  private final Secp256k1 bc = Secp256k1Backends.bouncyCastle();

  @Test
  void privateKeyOneHasTheWellKnownAddress() {
    byte[] one = new byte[32];
    one[31] = 1;
    assertThat(bc.address(PrivateKey.fromBytes(one)).toChecksumHex())
        .isEqualTo("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  }

  @Test
  void signaturesRecoverToTheSignerAndAreLowS() {
    SecureRandom rnd = new SecureRandom();
    for (int i = 0; i < 200; i++) {
      PrivateKey k = PrivateKey.random(rnd);
      byte[] digest = new byte[32];
      rnd.nextBytes(digest);
      Signature sig = bc.sign(digest, k);
      assertThat(sig.isCanonical()).isTrue();
      assertThat(bc.recoverAddress(digest, sig)).isEqualTo(bc.address(k));
      digest[0] ^= 1;
      assertThat(bc.recoverAddress(digest, sig)).isNotEqualTo(bc.address(k));
    }
  }
}
