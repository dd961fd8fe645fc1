package dev.vigil.consensus.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded, bounded property tests: whatever the body and committee, signing then verifying agrees.
 */
class AttestationPropertyTest {
  private static final long SEED = 0x5EED_0001L;
  private static final int CASES = 24;

  static Body randomBody(Random rnd) {
    byte[] emitter = new byte[32];
    rnd.nextBytes(emitter);
    byte[] payload = new byte[rnd.nextInt(80)];
    rnd.nextBytes(payload);
    return new Body(
        rnd.nextLong(0, 1L << 32),
        rnd.nextLong(0, 1L << 32),
        rnd.nextInt(1 << 16),
        Bytes32.wrap(emitter),
        rnd.nextLong(),
        rnd.nextInt(256),
        payload);
  }

  /** A random ascending subset of 0..n-1 with at least quorum(n) members. */
  static int[] randomSigners(Random rnd, int n) {
    int count = Committee.quorum(n) + rnd.nextInt(n - Committee.quorum(n) + 1);
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) all.add(i);
    java.util.Collections.shuffle(all, rnd);
    return all.subList(0, count).stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  @Test
  void randomAttestationsVerifyAndAnySingleBodyByteFlipBreaksThem() {
    Random rnd = new Random(SEED);
    Secp256k1 signing = Secp256k1Backends.bouncyCastle();
    int flipsChecked = 0;
    for (int c = 0; c < CASES; c++) {
      int size = 1 + rnd.nextInt(19);
      TestCommittee tc = TestCommittee.create(rnd, rnd.nextLong(0, 1L << 32), size, signing);
      AttestationVerifier verifier =
          new AttestationVerifier(
              CommitteeHistory.of(tc.committee()),
              Secp256k1Backends.preferred(),
              Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
              AttestationVerifier.DEFAULT_EXPIRY_WINDOW);
      Body body = randomBody(rnd);
      Attestation a = tc.attest(body, randomSigners(rnd, size));
      byte[] bytes = a.encode();
      String context =
          "case " + c + ", " + size + " members, " + a.signatures().size() + " signatures";

      assertThat(verifier.verify(bytes)).as(context).isEqualTo(Verdict.VALID);
      assertThat(AttestationCodec.decode(bytes).orElseThrow()).as(context).isEqualTo(a);

      int bodyStart = bytes.length - body.encodedLength();
      for (int pos = bodyStart; pos < bytes.length; pos++) {
        byte[] flipped = bytes.clone();
        flipped[pos] ^= (byte) (1 + rnd.nextInt(255));
        Verdict verdict = verifier.verify(flipped);
        assertThat(verdict.rejectReason())
            .as(context + ", body byte " + (pos - bodyStart) + ": " + verdict)
            .contains(RejectReason.WRONG_SIGNER);
        flipsChecked++;
      }
    }
    assertThat(flipsChecked).isGreaterThan(CASES * Body.MIN_LENGTH - 1);
  }

  @Test
  void decodingHostileBytesNeverThrows() {
    Random rnd = new Random(SEED + 1);
    TestCommittee tc = TestCommittee.create(rnd, 0, 4, Secp256k1Backends.bouncyCastle());
    byte[] valid = tc.attestQuorum(randomBody(rnd)).encode();
    AttestationVerifier verifier = new AttestationVerifier(CommitteeHistory.of(tc.committee()));
    int rejected = 0;
    for (int c = 0; c < 3000; c++) {
      byte[] input;
      if (c % 3 == 0) {
        input = new byte[rnd.nextInt(400)];
        rnd.nextBytes(input);
        if (input.length > 0 && rnd.nextBoolean()) input[0] = 1; // get past the version check
      } else {
        input = Arrays.copyOf(valid, Math.max(0, valid.length + rnd.nextInt(9) - 6));
        for (int k = 1 + rnd.nextInt(4); k > 0 && input.length > 0; k--) {
          input[rnd.nextInt(input.length)] = (byte) rnd.nextInt(256);
        }
      }
      DecodeResult<Attestation> decoded = AttestationCodec.decode(input);
      if (decoded.isOk()) {
        assertThat(decoded.orElseThrow().encode())
            .as("decode then encode is the identity")
            .isEqualTo(input);
      }
      Verdict verdict = verifier.verify(input);
      if (!Arrays.equals(input, valid)) {
        assertThat(verdict.isValid()).as("mutated input %s accepted", c).isFalse();
        rejected++;
      }
    }
    assertThat(rejected).isGreaterThan(2900);
    assertThat(AttestationCodec.decode(null)).isInstanceOf(DecodeResult.Err.class);
    assertThat(AttestationCodec.decodeBody(null)).isInstanceOf(DecodeResult.Err.class);
  }
}
