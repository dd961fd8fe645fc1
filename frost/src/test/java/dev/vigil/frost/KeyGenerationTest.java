package dev.vigil.frost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.signing.Hex;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The dealer's shares, their VSS check, Lagrange coefficients and the EVM-friendly group key. */
class KeyGenerationTest {
  private final SecureRandom random = FrostProtocolTest.seeded(0xDEA1L);

  @Test
  void aGroupKeyWithXAtOrAboveTheOrderIsReportedNotEvmFriendly() {
    byte[] atN = Points.compressedWithX(Ciphersuite.N, true);
    assertThat(new BigInteger(1, atN, 1, 32)).isGreaterThanOrEqualTo(Ciphersuite.N);
    assertThat(KeyGeneration.isEvmFriendly(atN)).isFalse();
    byte[] below = Points.compressedWithX(Ciphersuite.N.subtract(BigInteger.valueOf(100)), true);
    assertThat(KeyGeneration.isEvmFriendly(below)).isTrue();
  }

  @Test
  void theDealerDrawsAgainUntilTheGroupKeyIsAcceptable() {
    AtomicInteger asked = new AtomicInteger();
    List<String> refused = new ArrayList<>();
    KeyGeneration.Dealt dealt =
        KeyGeneration.trustedDealer(
            2,
            3,
            random,
            key -> {
              if (asked.incrementAndGet() <= 2) {
                refused.add(Hex.encode(key));
                return false;
              }
              return true;
            });
    assertThat(asked).hasValue(3);
    assertThat(refused).hasSize(2).doesNotContain(Hex.encode(dealt.publicKeys().groupKey()));
    assertThat(KeyGeneration.isEvmFriendly(dealt.publicKeys().groupKey())).isTrue();
  }

  @Test
  void vssVerifyCatchesAShareThatIsNotOnTheCommittedPolynomial() {
    KeyGeneration.Dealt dealt = KeyGeneration.trustedDealer(3, 5, random);
    KeyPackage k = dealt.keyPackage(2);
    byte[] bad = k.signingShareBytes();
    bad[31] ^= 1;
    KeyPackage tampered = KeyPackage.of(2, bad, k.groupKey(), 3);
    assertThat(KeyGeneration.vssVerify(k, dealt.vssCommitment())).isTrue();
    assertThat(KeyGeneration.vssVerify(tampered, dealt.vssCommitment())).isFalse();
    assertThat(dealt.vssCommitment()).hasSize(3);
    assertThat(dealt.vssCommitment().get(0)).isEqualTo(dealt.publicKeys().groupKey());
  }

  @Test
  void splittingAGivenSecretKeepsItsPublicKey() {
    byte[] secret = Ciphersuite.serializeScalar(BigInteger.valueOf(123456789));
    KeyGeneration.Dealt dealt = KeyGeneration.split(secret, 2, 4, random);
    assertThat(dealt.publicKeys().groupKey())
        .isEqualTo(GroupOps.bouncyCastle().mulBase(BigInteger.valueOf(123456789)));
  }

  @Test
  void lagrangeCoefficientsOfAnySignerSetRecombineTheSecret() {
    // sum lambda_i * share_i == secret for every 3 of 5
    byte[] secretBytes = Ciphersuite.serializeScalar(BigInteger.valueOf(987654321));
    KeyGeneration.Dealt dealt = KeyGeneration.split(secretBytes, 3, 5, random);
    for (List<Integer> set : List.of(List.of(1, 2, 3), List.of(5, 1, 4), List.of(2, 4, 5))) {
      BigInteger s = BigInteger.ZERO;
      for (int id : set) {
        s =
            s.add(
                KeyGeneration.lagrangeCoefficient(id, set)
                    .multiply(dealt.keyPackage(id).signingShare()));
      }
      assertThat(s.mod(Ciphersuite.N))
          .as("signers %s", set)
          .isEqualTo(BigInteger.valueOf(987654321));
    }
  }
}
