package dev.vigil.consensus.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.frost.Frost;
import dev.vigil.frost.FrostSignature;
import dev.vigil.frost.KeyGeneration;
import dev.vigil.frost.SignatureShare;
import dev.vigil.frost.SigningCommitment;
import dev.vigil.frost.SigningNonces;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Secp256k1Backends;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Attestation v2: one FROST signature by 3 of 4 over the body's digest. It round-trips byte for
 * byte, verifies under its committee's group key, and every mutation is refused with its reason.
 */
class ThresholdAttestationTest {
  static final Frost FROST = Frost.create();
  static final SecureRandom RANDOM = new SecureRandom(new byte[] {7});
  static final KeyGeneration.Dealt KEYS = KeyGeneration.trustedDealer(3, 4, RANDOM);
  static final Body BODY =
      new Body(
          1_765_000_000L,
          9,
          2,
          Bytes32.fromHex("00".repeat(31) + "07"),
          42,
          1,
          new byte[] {1, 2, 3});

  static ThresholdAttestation signed(long index, Body body, List<Integer> signers) {
    byte[] message = body.digest().toBytes();
    List<SigningCommitment> commitments = new ArrayList<>();
    List<SigningNonces> nonces = new ArrayList<>();
    for (int id : signers) {
      SigningNonces n = FROST.commit(KEYS.keyPackage(id), RANDOM);
      nonces.add(n);
      commitments.add(n.commitment());
    }
    List<SignatureShare> shares = new ArrayList<>();
    for (int i = 0; i < signers.size(); i++)
      shares.add(FROST.sign(KEYS.keyPackage(signers.get(i)), nonces.get(i), message, commitments));
    FrostSignature sig = FROST.aggregate(commitments, message, shares, KEYS.publicKeys());
    return new ThresholdAttestation(index, sig.toBytes(), body);
  }

  /** Committees 4 (replaced at t0) and 5 (current), group keys for both unless told otherwise. */
  static ThresholdVerifier verifier(Instant now, Map<Long, byte[]> keys) {
    List<Address> members =
        List.of(
            Address.fromHex("0x" + "11".repeat(20)),
            Address.fromHex("0x" + "22".repeat(20)),
            Address.fromHex("0x" + "33".repeat(20)),
            Address.fromHex("0x" + "44".repeat(20)));
    CommitteeHistory h =
        CommitteeHistory.of(new Committee(4, members))
            .rotate(new Committee(5, members), Instant.parse("2026-12-01T00:00:00Z"));
    return new ThresholdVerifier(
        new AttestationVerifier(
            h,
            Secp256k1Backends.bouncyCastle(),
            Clock.fixed(now, ZoneOffset.UTC),
            Duration.ofHours(24)),
        i -> Optional.ofNullable(keys.get(i)),
        FROST);
  }

  static final Instant SOON = Instant.parse("2026-12-01T01:00:00Z");

  @Test
  void aThresholdSignatureVerifiesUnderItsCommitteesGroupKeyAndRoundTrips() {
    ThresholdAttestation a = signed(5, BODY, List.of(1, 3, 4));
    byte[] bytes = a.encode();
    assertThat(bytes).hasSize(70 + BODY.encodedLength());
    assertThat(bytes[0]).isEqualTo((byte) 2);
    ThresholdAttestation back = ThresholdAttestation.decode(bytes).orElseThrow();
    assertThat(back).isEqualTo(a);
    assertThat(back.encode()).isEqualTo(bytes);
    byte[] key = KEYS.publicKeys().groupKey();
    assertThat(verifier(SOON, Map.of(4L, key, 5L, key)).verify(bytes)).isEqualTo(Verdict.VALID);
    // any 3 of the 4 make the same kind of signature
    assertThat(verifier(SOON, Map.of(5L, key)).verify(signed(5, BODY, List.of(2, 3, 4)).encode()))
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void everyMutationIsRefusedWithItsReason() {
    byte[] key = KEYS.publicKeys().groupKey();
    byte[] otherKey = KeyGeneration.trustedDealer(3, 4, RANDOM).publicKeys().groupKey();
    ThresholdVerifier v = verifier(SOON, Map.of(4L, otherKey, 5L, key));
    byte[] good = signed(5, BODY, List.of(1, 2, 3)).encode();
    assertThat(v.verify(good)).isEqualTo(Verdict.VALID);

    byte[] body = good.clone();
    body[body.length - 1] ^= 1; // the payload
    assertThat(reason(v.verify(body))).isEqualTo(RejectReason.BAD_THRESHOLD_SIGNATURE);
    byte[] z = good.clone();
    z[5 + 33 + 31] ^= 1;
    assertThat(reason(v.verify(z))).isEqualTo(RejectReason.BAD_THRESHOLD_SIGNATURE);
    byte[] r = good.clone();
    r[5] = 5; // not a compressed point prefix
    assertThat(reason(v.verify(r))).isEqualTo(RejectReason.BAD_THRESHOLD_SIGNATURE);
    byte[] index = good.clone();
    index[4] = 4; // the replaced committee: another group key
    assertThat(reason(v.verify(index))).isEqualTo(RejectReason.BAD_THRESHOLD_SIGNATURE);
    index[4] = 6;
    assertThat(reason(v.verify(index))).isEqualTo(RejectReason.UNKNOWN_COMMITTEE);
    byte[] version = good.clone();
    version[0] = 1;
    assertThat(reason(v.verify(version))).isEqualTo(RejectReason.WRONG_VERSION);
    assertThat(reason(v.verify(java.util.Arrays.copyOf(good, 100))))
        .isEqualTo(RejectReason.TRUNCATED);

    assertThat(reason(verifier(SOON, Map.of(4L, key)).verify(good)))
        .as("a committee without a group key")
        .isEqualTo(RejectReason.NO_GROUP_KEY);
    byte[] old = signed(4, BODY, List.of(1, 2, 3)).encode(); // by the keys installed for 4 here
    assertThat(verifier(SOON, Map.of(4L, key, 5L, otherKey)).verify(old))
        .as("the replaced committee, within its window")
        .isEqualTo(Verdict.VALID);
    assertThat(
            reason(
                verifier(Instant.parse("2026-12-02T00:00:01Z"), Map.of(4L, key, 5L, key))
                    .verify(old)))
        .as("and after it")
        .isEqualTo(RejectReason.EXPIRED_COMMITTEE);
  }

  @Test
  void garbageNeverThrows() {
    ThresholdVerifier v = verifier(SOON, Map.of(5L, KEYS.publicKeys().groupKey()));
    Random random = new Random(2);
    byte[] good = signed(5, BODY, List.of(1, 2, 4)).encode();
    for (int i = 0; i < 2_000; i++) {
      byte[] b = random.nextBoolean() ? new byte[random.nextInt(200)] : good.clone();
      if (b.length > 0 && b != good) {
        if (b.length == good.length)
          b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
        else random.nextBytes(b);
      }
      if (b.length > 0 && random.nextInt(4) == 0) b[0] = 2;
      assertThat(v.verify(b)).isNotNull();
    }
  }

  static RejectReason reason(Verdict v) {
    assertThat(v).isInstanceOf(Verdict.Rejected.class);
    return ((Verdict.Rejected) v).reason();
  }
}
