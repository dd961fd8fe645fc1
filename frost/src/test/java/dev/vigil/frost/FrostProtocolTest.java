package dev.vigil.frost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.signing.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Whole signing sessions over trusted-dealer keys: who can sign, and who is named when wrong. */
class FrostProtocolTest {
  private static final long SEED = 0xF0057L;
  private static final byte[] MESSAGE = "vigil attestation".getBytes(StandardCharsets.US_ASCII);

  private final Frost frost = Frost.create();

  /** A signing session of {@code signers} with the dealt keys; returns commitments and shares. */
  private record Session(List<SigningCommitment> commitments, List<SignatureShare> shares) {}

  private Session run(KeyGeneration.Dealt dealt, List<Integer> signers, SecureRandom random) {
    Map<Integer, SigningNonces> nonces = new TreeMap<>();
    List<SigningCommitment> commitments = new ArrayList<>();
    for (int id : signers) {
      SigningNonces n = frost.commit(dealt.keyPackage(id), random);
      nonces.put(id, n);
      commitments.add(n.commitment());
    }
    List<SignatureShare> shares = new ArrayList<>();
    for (int id : signers) {
      shares.add(frost.sign(dealt.keyPackage(id), nonces.get(id), MESSAGE, commitments));
    }
    return new Session(commitments, shares);
  }

  @Test
  void anyTSignersOfRandomTOfNKeysMakeASignatureThatVerifiesAndTMinusOneCannot() {
    Random rnd = new Random(SEED);
    SecureRandom random = seeded(SEED);
    for (int trial = 0; trial < 12; trial++) {
      int t = 2 + rnd.nextInt(4); // 2..5
      int n = t + rnd.nextInt(3); // t..t+2
      String where = "trial " + trial + ", " + t + "-of-" + n + " (seed " + SEED + ")";
      KeyGeneration.Dealt dealt = KeyGeneration.trustedDealer(t, n, random);
      byte[] groupKey = dealt.publicKeys().groupKey();
      for (KeyPackage k : dealt.keyPackages()) {
        assertThat(KeyGeneration.vssVerify(k, dealt.vssCommitment())).as(where).isTrue();
      }

      List<Integer> all = new ArrayList<>(dealt.publicKeys().participants());
      Collections.shuffle(all, rnd);
      List<Integer> signers = all.subList(0, t);
      Session s = run(dealt, signers, random);
      FrostSignature sig = frost.aggregate(s.commitments, MESSAGE, s.shares, dealt.publicKeys());
      assertThat(frost.verify(sig, MESSAGE, groupKey)).as(where + ", signers " + signers).isTrue();
      assertThat(KeyGeneration.isEvmFriendly(groupKey)).as(where).isTrue();
      byte[] other = MESSAGE.clone();
      other[0] ^= 1;
      assertThat(frost.verify(sig, other, groupKey)).as(where).isFalse();

      // t - 1 signers: refused by their own key packages ...
      List<Integer> few = all.subList(0, t - 1);
      KeyPackage k0 = dealt.keyPackage(few.get(0));
      SigningNonces n0 = frost.commit(k0, random);
      List<SigningCommitment> fewCommitments = new ArrayList<>();
      fewCommitments.add(n0.commitment());
      for (int id : few.subList(1, few.size())) {
        fewCommitments.add(frost.commit(dealt.keyPackage(id), random).commitment());
      }
      assertThatThrownBy(() -> frost.sign(k0, n0, MESSAGE, fewCommitments))
          .as(where)
          .hasMessageContaining("this key needs at least " + t);
      assertThat(n0.isUsed()).as("a refused session leaves the nonces unused").isFalse();

      // ... and when their packages lie about the threshold, the shares do not make a signature
      if (t - 1 >= 2) {
        KeyGeneration.Dealt lying = withThreshold(dealt, t - 1);
        Session fs = run(lying, few, random);
        assertThatThrownBy(
                () -> frost.aggregate(fs.commitments, MESSAGE, fs.shares, lying.publicKeys()))
            .as(where + ", signers " + few)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("their aggregate does not");
      }
    }
  }

  @Test
  void aWrongShareIsNamedByVerifySignatureShareAndByAggregate() {
    SecureRandom random = seeded(SEED + 1);
    KeyGeneration.Dealt dealt = KeyGeneration.trustedDealer(3, 5, random);
    Session s = run(dealt, List.of(1, 2, 4), random);
    // participant 4 sends a share off by one
    List<SignatureShare> shares = new ArrayList<>(s.shares);
    SignatureShare honest = shares.get(2);
    shares.set(2, new SignatureShare(4, honest.share().add(BigInteger.ONE).mod(Ciphersuite.N)));
    byte[] groupKey = dealt.publicKeys().groupKey();

    for (SignatureShare share : shares) {
      boolean ok =
          frost.verifySignatureShare(
              share,
              dealt.publicKeys().verifyingShare(share.identifier()),
              s.commitments,
              groupKey,
              MESSAGE);
      assertThat(ok)
          .as("share of participant %d", share.identifier())
          .isEqualTo(share.identifier() != 4);
    }
    assertThatThrownBy(() -> frost.aggregate(s.commitments, MESSAGE, shares, dealt.publicKeys()))
        .isInstanceOfSatisfying(
            InvalidSignatureShareException.class,
            e -> assertThat(e.participants()).containsExactly(4))
        .hasMessage(
            "the signature share of participant 4 does not verify against the participant's"
                + " verifying share and commitment");
  }

  @Test
  void sharesMadeWithAnotherParticipantsKeyAreNamedToo() {
    SecureRandom random = seeded(SEED + 2);
    KeyGeneration.Dealt dealt = KeyGeneration.trustedDealer(3, 4, random);
    KeyGeneration.Dealt impostor = KeyGeneration.trustedDealer(3, 4, random);
    List<Integer> signers = List.of(1, 2, 3);
    Map<Integer, SigningNonces> nonces = new TreeMap<>();
    List<SigningCommitment> commitments = new ArrayList<>();
    for (int id : signers) {
      // 2 and 3 sign with key material of another key (a wrong share in their store)
      KeyPackage k = id == 1 ? dealt.keyPackage(id) : impostor.keyPackage(id);
      SigningNonces n = frost.commit(k, random);
      nonces.put(id, n);
      commitments.add(n.commitment());
    }
    List<SignatureShare> shares = new ArrayList<>();
    for (int id : signers) {
      KeyPackage k = id == 1 ? dealt.keyPackage(id) : impostor.keyPackage(id);
      KeyPackage claimed =
          KeyPackage.of(id, k.signingShareBytes(), dealt.publicKeys().groupKey(), 3);
      shares.add(frost.sign(claimed, nonces.get(id), MESSAGE, commitments));
    }
    assertThatThrownBy(() -> frost.aggregate(commitments, MESSAGE, shares, dealt.publicKeys()))
        .isInstanceOfSatisfying(
            InvalidSignatureShareException.class,
            e -> assertThat(e.participants()).containsExactly(2, 3))
        .hasMessageStartingWith("the signature shares of participants [2, 3] do not verify");
  }

  @Test
  void noncesSignOnceAndTheSecondUseIsRefused() {
    SecureRandom random = seeded(SEED + 3);
    KeyGeneration.Dealt dealt = KeyGeneration.trustedDealer(2, 3, random);
    SigningNonces n1 = frost.commit(dealt.keyPackage(1), random);
    SigningNonces n2 = frost.commit(dealt.keyPackage(2), random);
    List<SigningCommitment> cs = List.of(n1.commitment(), n2.commitment());
    frost.sign(dealt.keyPackage(1), n1, MESSAGE, cs);
    assertThat(n1.isUsed()).isTrue();
    assertThatThrownBy(() -> frost.sign(dealt.keyPackage(1), n1, MESSAGE, cs))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nonces of participant 1 were already used");
  }

  @Test
  void aSignerRefusesACommitmentListThatMisrepresentsItsOwnCommitment() {
    SecureRandom random = seeded(SEED + 4);
    KeyGeneration.Dealt dealt = KeyGeneration.trustedDealer(2, 3, random);
    SigningNonces n1 = frost.commit(dealt.keyPackage(1), random);
    SigningNonces other = frost.commit(dealt.keyPackage(1), random);
    SigningNonces n2 = frost.commit(dealt.keyPackage(2), random);
    assertThatThrownBy(
            () ->
                frost.sign(
                    dealt.keyPackage(1), n1, MESSAGE, List.of(other.commitment(), n2.commitment())))
        .hasMessage(
            "the commitment listed for participant 1 is not the one its nonces made; refusing to"
                + " sign");
    assertThatThrownBy(
            () ->
                frost.sign(
                    dealt.keyPackage(1),
                    n1,
                    MESSAGE,
                    List.of(n1.commitment(), n2.commitment(), n2.commitment())))
        .hasMessage("two signing commitments from participant 2");
    assertThat(n1.isUsed()).isFalse();
  }

  @Test
  void aggregateNamesMissingAndExtraShares() {
    SecureRandom random = seeded(SEED + 5);
    KeyGeneration.Dealt dealt = KeyGeneration.trustedDealer(2, 3, random);
    Session s = run(dealt, List.of(1, 3), random);
    assertThatThrownBy(
            () ->
                frost.aggregate(s.commitments, MESSAGE, s.shares.subList(0, 1), dealt.publicKeys()))
        .hasMessage(
            "signature shares do not match the commitments: no share from [3], no commitment from []");
  }

  @Test
  void keyMaterialNeverAppearsInToString() {
    SecureRandom random = seeded(SEED + 6);
    KeyGeneration.Dealt dealt = KeyGeneration.trustedDealer(2, 3, random);
    KeyPackage k = dealt.keyPackage(1);
    String share = Hex.encode(k.signingShareBytes());
    SigningNonces n = frost.commit(k, random);
    assertThat(k.toString()).doesNotContain(share).contains("redacted");
    assertThat(dealt.toString()).doesNotContain(share).contains("redacted");
    assertThat(n.toString()).contains("redacted");
  }

  /**
   * The same shares with a claimed threshold of {@code t} (what a misconfigured store could say).
   */
  private static KeyGeneration.Dealt withThreshold(KeyGeneration.Dealt dealt, int t) {
    List<KeyPackage> ks = new ArrayList<>();
    Map<Integer, byte[]> verifying = new TreeMap<>();
    byte[] groupKey = dealt.publicKeys().groupKey();
    for (KeyPackage k : dealt.keyPackages()) {
      ks.add(KeyPackage.of(k.identifier(), k.signingShareBytes(), groupKey, t));
      verifying.put(k.identifier(), k.verifyingShare());
    }
    return new KeyGeneration.Dealt(
        ks, new PublicKeyPackage(groupKey, verifying, t), dealt.vssCommitment());
  }

  static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
