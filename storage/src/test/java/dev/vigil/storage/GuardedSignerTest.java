package dev.vigil.storage;

import static dev.vigil.storage.TestData.digest;
import static dev.vigil.storage.TestData.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.signing.Address;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signature;
import dev.vigil.signing.Signer;
import dev.vigil.storage.kv.KvCodecs;
import dev.vigil.storage.kv.KvStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardedSignerTest {
  @TempDir Path dir;

  private static final Signer KEY = TestData.signer("guarded signer test key");

  /** Counts calls to the real signer, so a test sees whether anything was signed. */
  static final class CountingSigner implements Signer {
    final Signer real;
    final AtomicInteger calls = new AtomicInteger();

    CountingSigner(Signer real) {
      this.real = real;
    }

    @Override
    public Address address() {
      return real.address();
    }

    @Override
    public Signature sign(byte[] digest32) {
      calls.incrementAndGet();
      return real.sign(digest32);
    }
  }

  @Test
  void signsANewDigestAndRecordsIt() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      GuardedSigner guard = new GuardedSigner(KEY, db.signingRecords());
      Signature sig = guard.sign(key(2, 1, 1), digest("a"));
      assertThat(Secp256k1Backends.preferred().recoverAddress(digest("a").toBytes(), sig))
          .isEqualTo(KEY.address());
      assertThat(db.signingRecords().get(key(2, 1, 1))).contains(digest("a"));
      assertThat(guard.address()).isEqualTo(KEY.address());
    }
  }

  @Test
  void signingTheSameDigestAgainReturnsTheSameSignature() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      GuardedSigner guard = new GuardedSigner(KEY, db.signingRecords());
      Signature first = guard.sign(key(2, 1, 1), digest("a"));
      Signature again = guard.sign(key(2, 1, 1), digest("a").toBytes());
      assertThat(again).isEqualTo(first);
      assertThat(db.signingRecords().count()).isEqualTo(1);
    }
  }

  @Test
  void aConflictingDigestIsRefusedNamingKeyAndBothDigestsAndNothingIsSigned() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      CountingSigner signer = new CountingSigner(KEY);
      GuardedSigner guard = new GuardedSigner(signer, db.signingRecords());
      MessageId k = key(2, 1, 1);
      guard.sign(k, digest("a"));
      assertThatThrownBy(() -> guard.sign(k, digest("b")))
          .isInstanceOfSatisfying(
              DoubleSignRefusedException.class,
              e -> {
                assertThat(e.key()).isEqualTo(k);
                assertThat(e.signedDigest()).isEqualTo(digest("a"));
                assertThat(e.refusedDigest()).isEqualTo(digest("b"));
              })
          .hasMessageContaining(k.toString())
          .hasMessageContaining(digest("a").toHex())
          .hasMessageContaining(digest("b").toHex());
      assertThat(signer.calls).hasValue(1);
      assertThat(db.signingRecords().get(k)).contains(digest("a"));
      // another message key is independent
      guard.sign(key(2, 1, 2), digest("b"));
      assertThat(signer.calls).hasValue(2);
    }
  }

  @Test
  void aRefusalHoldsAcrossReopen() throws Exception {
    MessageId k = key(2, 1, 1);
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      new GuardedSigner(KEY, db.signingRecords()).sign(k, digest("a"));
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      GuardedSigner guard = new GuardedSigner(KEY, db.signingRecords());
      assertThatThrownBy(() -> guard.sign(k, digest("b")))
          .isInstanceOf(DoubleSignRefusedException.class);
      assertThat(guard.sign(k, digest("a"))).isNotNull();
    }
  }

  @Test
  void theRecordIsSyncedToDiskBeforeTheSignerIsCalled() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      MessageId k = key(2, 1, 1);
      long syncsBefore = db.walSyncCount();
      List<String> seenBySigner = new ArrayList<>();
      Signer checking =
          lookingBeforeEachSignature(
              () -> {
                seenBySigner.add(db.signingRecords().get(k).map(Digest::toHex).orElse("no record"));
                seenBySigner.add(db.walSyncCount() > syncsBefore ? "synced" : "not synced");
              });
      new GuardedSigner(checking, db.signingRecords()).sign(k, digest("a"));
      assertThat(seenBySigner).containsExactly(digest("a").toHex(), "synced");
    }
  }

  @Test
  void aCorruptedRecordFailsClosed() throws Exception {
    MessageId k = key(2, 1, 1);
    try (KvStore kv = KvStore.open(dir, VigilDatabase.SCHEMA_VERSION, VigilDatabase.COLUMNS)) {
      kv.column(VigilDatabase.SIGNING_RECORDS, KvCodecs.bytes(), KvCodecs.bytes())
          .put(k.encode(), new byte[31]);
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      CountingSigner signer = new CountingSigner(KEY);
      GuardedSigner guard = new GuardedSigner(signer, db.signingRecords());
      assertThatThrownBy(() -> guard.sign(k, digest("a")))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("column signing_records");
      assertThat(signer.calls).hasValue(0);
    }
  }

  @Test
  void signAllSignsEachAllowedItemAndRefusesOnlyTheConflictingOnes() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      CountingSigner signer = new CountingSigner(KEY);
      GuardedSigner guard = new GuardedSigner(signer, db.signingRecords());
      guard.sign(key(2, 1, 1), digest("a"));
      List<GuardedSigner.Result> results =
          guard.signAll(
              List.of(
                  new SigningRecordStore.Proposal(
                      key(2, 1, 1), digest("b")), // conflicts with the record
                  new SigningRecordStore.Proposal(key(2, 1, 2), digest("x")), // new
                  new SigningRecordStore.Proposal(
                      key(2, 1, 1), digest("a")), // the same digest again
                  new SigningRecordStore.Proposal(key(2, 1, 3), digest("y")), // new
                  new SigningRecordStore.Proposal(
                      key(2, 1, 3), digest("z")))); // conflicts with the item before
      assertThat(results)
          .extracting(GuardedSigner.Result::signed)
          .containsExactly(false, true, true, true, false);
      assertThat(results.get(0).refusal().signedDigest()).isEqualTo(digest("a"));
      assertThat(results.get(0).refusal().refusedDigest()).isEqualTo(digest("b"));
      assertThat(results.get(4).refusal().signedDigest()).isEqualTo(digest("y"));
      for (int i : new int[] {1, 2, 3}) {
        GuardedSigner.Result r = results.get(i);
        assertThat(
                Secp256k1Backends.preferred().recoverAddress(r.digest().toBytes(), r.signature()))
            .isEqualTo(KEY.address());
      }
      assertThat(signer.calls).as("one earlier signature and three in the batch").hasValue(4);
      assertThat(db.signingRecords().get(key(2, 1, 1))).contains(digest("a"));
      assertThat(db.signingRecords().get(key(2, 1, 2))).contains(digest("x"));
      assertThat(db.signingRecords().get(key(2, 1, 3))).contains(digest("y"));
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) { // the batch's records hold across a restart
      GuardedSigner guard = new GuardedSigner(KEY, db.signingRecords());
      assertThatThrownBy(() -> guard.sign(key(2, 1, 3), digest("z")))
          .isInstanceOf(DoubleSignRefusedException.class);
    }
  }

  @Test
  void signAllSyncsEveryRecordOfTheBatchOnceBeforeTheFirstSignature() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      List<MessageId> keys = List.of(key(2, 1, 1), key(2, 1, 2), key(2, 1, 3), key(5, 9, 4));
      long syncsBefore = db.walSyncCount();
      List<String> seenBySigner = new ArrayList<>();
      Signer checking =
          lookingBeforeEachSignature(
              () -> {
                long recorded =
                    keys.stream().filter(k -> db.signingRecords().get(k).isPresent()).count();
                seenBySigner.add(
                    recorded + " records, " + (db.walSyncCount() - syncsBefore) + " sync");
              });
      List<SigningRecordStore.Proposal> batch = new ArrayList<>();
      for (MessageId k : keys) batch.add(new SigningRecordStore.Proposal(k, digest("d " + k)));
      List<GuardedSigner.Result> results =
          new GuardedSigner(checking, db.signingRecords()).signAll(batch);
      assertThat(results).allMatch(GuardedSigner.Result::signed);
      assertThat(seenBySigner).containsOnly("4 records, 1 sync").hasSize(4);
    }
  }

  @Test
  void aBatchWithAnUnreadableRecordSignsNothingAndRecordsNothing() throws Exception {
    MessageId corrupted = key(2, 1, 9);
    try (KvStore kv = KvStore.open(dir, VigilDatabase.SCHEMA_VERSION, VigilDatabase.COLUMNS)) {
      kv.column(VigilDatabase.SIGNING_RECORDS, KvCodecs.bytes(), KvCodecs.bytes())
          .put(corrupted.encode(), new byte[31]);
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      CountingSigner signer = new CountingSigner(KEY);
      GuardedSigner guard = new GuardedSigner(signer, db.signingRecords());
      assertThatThrownBy(
              () ->
                  guard.signAll(
                      List.of(
                          new SigningRecordStore.Proposal(key(2, 1, 1), digest("a")),
                          new SigningRecordStore.Proposal(corrupted, digest("b")))))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("column signing_records");
      assertThat(signer.calls).hasValue(0);
      assertThat(db.signingRecords().get(key(2, 1, 1)))
          .as("nothing of the batch was recorded")
          .isEmpty();
    }
  }

  @Test
  void concurrentSignersWithDifferentDigestsForOneKeyLetExactlyOneDigestWin() throws Exception {
    int threads = 8;
    int distinctDigests = 4;
    try (VigilDatabase db = VigilDatabase.open(dir);
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      GuardedSigner guard = new GuardedSigner(KEY, db.signingRecords());
      for (int round = 0; round < 30; round++) {
        MessageId k = key(3, 7, round);
        CyclicBarrier start = new CyclicBarrier(threads);
        Set<Digest> signedDigests = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          Digest d = digest("round " + round + " digest " + (t % distinctDigests));
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      Signature sig = guard.sign(k, d);
                      assertThat(Secp256k1Backends.preferred().recoverAddress(d.toBytes(), sig))
                          .isEqualTo(KEY.address());
                      signedDigests.add(d);
                    } catch (DoubleSignRefusedException e) {
                      refused.incrementAndGet();
                    }
                    return null;
                  }));
        }
        for (Future<?> f : futures) f.get();
        assertThat(signedDigests).as("round %d", round).hasSize(1);
        assertThat(db.signingRecords().get(k)).contains(signedDigests.iterator().next());
        assertThat(refused)
            .as("threads with a losing digest")
            .hasValue(threads - threads / distinctDigests);
      }
    }
  }

  /**
   * KEY, running {@code look} just before it makes each signature (to see what is on disk then).
   */
  private static Signer lookingBeforeEachSignature(Runnable look) {
    return new Signer() {
      @Override
      public Address address() {
        return KEY.address();
      }

      @Override
      public Signature sign(byte[] digest32) {
        look.run();
        return KEY.sign(digest32);
      }
    };
  }
}
