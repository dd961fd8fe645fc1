package dev.vigil.consensus.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.frost.Frost;
import dev.vigil.frost.KeyGeneration;
import dev.vigil.frost.SignatureShare;
import dev.vigil.frost.SigningCommitment;
import dev.vigil.signing.Hex;
import dev.vigil.storage.NonceRefusedException;
import dev.vigil.storage.NonceStore;
import dev.vigil.storage.StorageException;
import dev.vigil.storage.VigilDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NonceGuardedSigner} over a real RocksDB in a temp dir, 2-of-3 trusted-dealer keys. */
class NonceGuardedSignerTest {
  @TempDir Path dir;

  private static final byte[] M1 = "message one".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] M2 = "message two".getBytes(StandardCharsets.US_ASCII);
  private final Frost frost = Frost.create();
  private final KeyGeneration.Dealt dealt = KeyGeneration.trustedDealer(2, 3, seeded(42));

  /** A deterministic generator; {@code seed} must not be 0 (SecureRandom ignores setSeed(0L)). */
  static SecureRandom seeded(long seed) {
    if (seed == 0) throw new IllegalArgumentException("seed 0 would be ignored");
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private NonceGuardedSigner signer(VigilDatabase db) {
    return new NonceGuardedSigner(frost, dealt.keyPackage(1), db.nonces(), new SecureRandom());
  }

  /** Participant 2's commitment for a session (its nonces are not kept: it never signs here). */
  private SigningCommitment other(int participant, long seed) {
    return frost.commit(dealt.keyPackage(participant), seeded(seed)).commitment();
  }

  private boolean verifies(SignatureShare s, List<SigningCommitment> commitments, byte[] m) {
    return frost.verifySignatureShare(
        s, dealt.publicKeys().verifyingShare(1), commitments, dealt.publicKeys().groupKey(), m);
  }

  @Test
  void commitmentsAreStoredBeforeTheyAreReturnedAndSharesVerify() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      NonceGuardedSigner s = signer(db);
      long syncs = db.walSyncCount();
      List<NonceGuardedSigner.Committed> batch = s.commitBatch(3);
      assertThat(db.walSyncCount()).isEqualTo(syncs + 1);
      assertThat(batch).extracting(NonceGuardedSigner.Committed::id).containsExactly(0L, 1L, 2L);
      for (NonceGuardedSigner.Committed c : batch) {
        assertThat(db.nonces().get(c.id()).orElseThrow().commitment())
            .isEqualTo(NonceGuardedSigner.encodeCommitment(c.commitment()));
      }
      List<SigningCommitment> session = List.of(batch.get(1).commitment(), other(2, 7));
      long before = db.walSyncCount();
      SignatureShare share = s.sign(1, M1, session);
      assertThat(db.walSyncCount()).isEqualTo(before + 1);
      assertThat(verifies(share, session, M1)).isTrue();
      assertThat(db.nonces().get(1).orElseThrow().digest())
          .contains(NonceGuardedSigner.sessionDigest(dealt.publicKeys().groupKey(), M1, session));
    }
  }

  @Test
  void theSameSessionGetsTheSameShareAndAnyOtherSessionIsRefused() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      NonceGuardedSigner s = signer(db);
      SigningCommitment own = s.commitBatch(1).getFirst().commitment();
      List<SigningCommitment> session = List.of(own, other(2, 7));
      SignatureShare first = s.sign(0, M1, session);
      // the same session, commitments in another order: the same share
      assertThat(s.sign(0, M1, session.reversed())).isEqualTo(first);
      assertThatThrownBy(() -> s.sign(0, M2, session))
          .isInstanceOfSatisfying(
              NonceRefusedException.class,
              e -> assertThat(e.reason()).isEqualTo(NonceRefusedException.Reason.OTHER_DIGEST))
          .hasMessageContaining("nonce 0 ");
      // the same message with another signer set is another session: refused too
      assertThatThrownBy(() -> s.sign(0, M1, List.of(own, other(3, 8))))
          .isInstanceOf(NonceRefusedException.class);
      assertThatThrownBy(() -> s.sign(0, M1, List.of(own, other(2, 8))))
          .isInstanceOf(NonceRefusedException.class);
      assertThatThrownBy(() -> s.sign(5, M1, session))
          .isInstanceOfSatisfying(
              NonceRefusedException.class,
              e -> assertThat(e.reason()).isEqualTo(NonceRefusedException.Reason.UNKNOWN));
    }
  }

  @Test
  void afterARestartFreshNoncesSignAndUsedOnesOnlyForTheirSession() throws Exception {
    List<NonceGuardedSigner.Committed> batch;
    SignatureShare first;
    List<SigningCommitment> s0, s1;
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      batch = signer(db).commitBatch(2);
      s0 = List.of(batch.get(0).commitment(), other(2, 1));
      s1 = List.of(batch.get(1).commitment(), other(3, 2));
      first = signer(db).sign(0, M1, s0);
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      NonceGuardedSigner s = signer(db);
      assertThat(s.sign(0, M1, s0)).isEqualTo(first);
      assertThatThrownBy(() -> s.sign(0, M2, s0)).isInstanceOf(NonceRefusedException.class);
      SignatureShare fresh = s.sign(1, M2, s1);
      assertThat(verifies(fresh, s1, M2)).isTrue();
      assertThat(s.commitBatch(1).getFirst().id()).isEqualTo(2);
    }
  }

  @Test
  void aMalformedSessionIsRefusedBeforeTheNonceIsReserved() {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      NonceGuardedSigner s = signer(db);
      List<NonceGuardedSigner.Committed> batch = s.commitBatch(2);
      SigningCommitment other = other(2, 1);
      assertThatThrownBy(() -> s.sign(0, M1, List.of(batch.get(1).commitment(), other)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not the one of nonce 0");
      assertThatThrownBy(() -> s.sign(0, M1, List.of(other)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("participant 1 is not among the signers");
      assertThatThrownBy(() -> s.sign(0, M1, List.of(batch.get(0).commitment())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("fewer than the threshold 2");
      assertThat(db.nonces().get(0).orElseThrow().state()).isEqualTo(NonceStore.State.FRESH);
    }
  }

  @Test
  void anotherKeyOrAnAlteredSecretDoesNotOpenAndNothingIsSigned() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      SigningCommitment own = signer(db).commitBatch(1).getFirst().commitment();
      // participant 1 of another dealing: same identifier, another signing share
      KeyGeneration.Dealt otherDealing = KeyGeneration.trustedDealer(2, 3, seeded(43));
      NonceGuardedSigner stranger =
          new NonceGuardedSigner(
              frost, otherDealing.keyPackage(1), db.nonces(), new SecureRandom());
      assertThatThrownBy(() -> stranger.sign(0, M1, List.of(own, other(2, 1))))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("stored FROST nonce 0 is unusable")
          .hasMessageContaining("does not open");
    }
  }

  @Test
  void secretNonceBytesAreSealedAndNeverShown() {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      NonceGuardedSigner s = signer(db);
      s.commitBatch(1);
      NonceStore.Entry e = db.nonces().get(0).orElseThrow();
      // 12-byte IV, 64 bytes of ciphertext, 16-byte tag
      assertThat(e.sealedSecret()).hasSize(12 + 64 + 16);
      assertThat(e.toString()).doesNotContain(Hex.encode(e.sealedSecret()));
      assertThat(s.toString()).contains("redacted");
    }
  }
}
