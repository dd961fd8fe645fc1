package dev.vigil.frost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.signing.Hex;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Native libsecp256k1 and Bouncy Castle give the same bytes for every group operation. */
class GroupOpsEquivalenceTest {
  private static final long SEED = 0x6E0_0B5L;
  private static final BigInteger N = Ciphersuite.N;

  private final GroupOps nat = GroupOps.nativeLibsecp256k1();
  private final GroupOps bc = GroupOps.bouncyCastle();

  @Test
  void theNativeBackendLoadsHere() {
    // the build machine has the bundled .so; a silent fallback to Bouncy Castle would hide a defect
    assertThat(GroupOps.preferred().name()).isEqualTo("native");
  }

  @Test
  void randomScalarsAndPointsGiveIdenticalBytes() {
    Random rnd = new Random(SEED);
    for (int i = 0; i < 500; i++) {
      String where = "case " + i + " (seed " + SEED + ")";
      BigInteger a = scalar(rnd);
      BigInteger b = scalar(rnd);
      byte[] p = bc.mulBase(a);
      byte[] q = bc.mulBase(b);
      assertThat(Hex.encode(nat.mulBase(a))).as(where).isEqualTo(Hex.encode(p));
      assertThat(Hex.encode(nat.mul(p, b))).as(where).isEqualTo(Hex.encode(bc.mul(p, b)));
      assertThat(Hex.encode(nat.add(p, q))).as(where).isEqualTo(Hex.encode(bc.add(p, q)));
      byte[] uncompressed = bc.decompress(p);
      assertThat(uncompressed).as(where).hasSize(65).isEqualTo(nat.decompress(p));
      assertThat(nat.compress(uncompressed))
          .as(where)
          .isEqualTo(p)
          .isEqualTo(bc.compress(uncompressed));
      // a * (b * G) == b * (a * G): the arithmetic is right, not merely the same
      assertThat(nat.mul(q, a)).as(where).isEqualTo(bc.mul(p, b));
    }
  }

  @Test
  void edgeCasesAgreeIdentityDoublingAndNegation() {
    byte[] identity = GroupOps.identity();
    for (GroupOps ops : new GroupOps[] {nat, bc}) {
      BigInteger k = BigInteger.valueOf(7);
      byte[] p = ops.mulBase(k);
      String name = ops.name();
      assertThat(ops.mulBase(BigInteger.ZERO)).as(name).isEqualTo(identity);
      assertThat(ops.mul(p, BigInteger.ZERO)).as(name).isEqualTo(identity);
      assertThat(ops.mul(identity, k)).as(name).isEqualTo(identity);
      assertThat(ops.add(p, identity)).as(name).isEqualTo(p);
      assertThat(ops.add(identity, p)).as(name).isEqualTo(p);
      assertThat(ops.add(identity, identity)).as(name).isEqualTo(identity);
      assertThat(ops.add(p, p)).as(name).isEqualTo(ops.mulBase(BigInteger.valueOf(14)));
      assertThat(ops.add(p, ops.mulBase(N.subtract(k))))
          .as(name + ": P + (-P)")
          .isEqualTo(identity);
      assertThat(ops.mul(p, N.subtract(BigInteger.ONE)))
          .as(name)
          .isEqualTo(ops.mulBase(N.subtract(k)));
    }
  }

  private static BigInteger scalar(Random rnd) {
    while (true) {
      BigInteger s = new BigInteger(256, rnd);
      if (s.signum() > 0 && s.compareTo(N) < 0) return s;
    }
  }
}
