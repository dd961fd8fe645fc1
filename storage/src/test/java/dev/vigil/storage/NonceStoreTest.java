package dev.vigil.storage;

import static dev.vigil.storage.TestData.bytes;
import static dev.vigil.storage.TestData.digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.signing.Digest;
import dev.vigil.signing.Hex;
import dev.vigil.storage.kv.KvCodecs;
import dev.vigil.storage.kv.KvStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NonceStore} on a real RocksDB in a temp dir. */
class NonceStoreTest {
  @TempDir Path dir;

  private static final Digest A = digest("message A");
  private static final Digest B = digest("message B");

  /** Fake nonce material: the "secret" is recognisable, so that tests can look for leaks. */
  private static NonceStore.Fresh fresh(long id) {
    return new NonceStore.Fresh(bytes("SECRET-" + id, 60), bytes("commitment-" + id, 66));
  }

  private static byte[] idKey(long id) {
    return ByteBuffer.allocate(9).put((byte) 1).putLong(id).array();
  }

  @Test
  void aBatchGetsConsecutiveIdsAndIsOneSyncedWrite() {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      NonceStore nonces = db.nonces();
      assertThat(nonces.nextId()).isZero();
      long syncs = db.walSyncCount();
      List<NonceStore.Entry> first = nonces.addBatch(5, NonceStoreTest::fresh);
      assertThat(db.walSyncCount()).isEqualTo(syncs + 1);
      assertThat(first).extracting(NonceStore.Entry::id).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(first).allMatch(e -> e.state() == NonceStore.State.FRESH && e.digest().isEmpty());
      List<NonceStore.Entry> second = nonces.addBatch(3, NonceStoreTest::fresh);
      assertThat(second).extracting(NonceStore.Entry::id).containsExactly(5L, 6L, 7L);
      assertThat(nonces.nextId()).isEqualTo(8);
      assertThat(nonces.count()).isEqualTo(8);
      assertThat(nonces.get(6)).contains(second.get(1));
      assertThat(nonces.get(6).orElseThrow().commitment()).isEqualTo(bytes("commitment-6", 66));
    }
  }

  @Test
  void aMakerThatFailsWritesNothingAndUsesNoId() {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThatThrownBy(
              () ->
                  db.nonces()
                      .addBatch(
                          4,
                          id -> {
                            if (id == 2) throw new IllegalStateException("no randomness");
                            return fresh(id);
                          }))
          .hasMessageContaining("no randomness");
      assertThat(db.nonces().count()).isZero();
      assertThat(db.nonces().nextId()).isZero();
      assertThat(db.nonces().addBatch(1, NonceStoreTest::fresh).getFirst().id()).isZero();
    }
  }

  @Test
  void reservingIsSyncedAndTheSameDigestGetsTheSameNonceAgain() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      db.nonces().addBatch(2, NonceStoreTest::fresh);
      long syncs = db.walSyncCount();
      NonceStore.Reservation r = db.nonces().reserve(1, A);
      assertThat(db.walSyncCount()).isEqualTo(syncs + 1);
      assertThat(r.repeat()).isFalse();
      assertThat(r.nonce().state()).isEqualTo(NonceStore.State.USED);
      assertThat(r.nonce().digest()).contains(A);
      assertThat(r.nonce().sealedSecret()).isEqualTo(bytes("SECRET-1", 60));

      NonceStore.Reservation again = db.nonces().reserve(1, A);
      assertThat(again.repeat()).isTrue();
      assertThat(again.nonce()).isEqualTo(r.nonce());
      assertThat(db.walSyncCount()).isEqualTo(syncs + 1); // nothing new to write
      assertThat(db.nonces().get(0).orElseThrow().state()).isEqualTo(NonceStore.State.FRESH);
    }
  }

  @Test
  void anotherDigestIsRefusedNamingTheIdAndBothDigests() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      db.nonces().addBatch(3, NonceStoreTest::fresh);
      db.nonces().reserve(2, A);
      assertThatThrownBy(() -> db.nonces().reserve(2, B))
          .isInstanceOfSatisfying(
              NonceRefusedException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(NonceRefusedException.Reason.OTHER_DIGEST);
                assertThat(e.id()).isEqualTo(2);
                assertThat(e.recordedDigest()).contains(A);
                assertThat(e.refusedDigest()).isEqualTo(B);
              })
          .hasMessageContaining("nonce 2 ")
          .hasMessageContaining(A.toHex())
          .hasMessageContaining(B.toHex())
          .message()
          .doesNotContain("SECRET");
      assertThat(db.nonces().get(2).orElseThrow().digest()).contains(A);
    }
  }

  @Test
  void unknownAndNegativeIdsAreRefused() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThatThrownBy(() -> db.nonces().reserve(0, A))
          .isInstanceOfSatisfying(
              NonceRefusedException.class,
              e -> assertThat(e.reason()).isEqualTo(NonceRefusedException.Reason.UNKNOWN))
          .hasMessageContaining("no nonce with this id was issued");
      db.nonces().addBatch(2, NonceStoreTest::fresh);
      for (long id : new long[] {2, 99, -1, Long.MAX_VALUE}) {
        assertThatThrownBy(() -> db.nonces().reserve(id, A))
            .isInstanceOfSatisfying(
                NonceRefusedException.class,
                e -> assertThat(e.reason()).isEqualTo(NonceRefusedException.Reason.UNKNOWN));
      }
    }
  }

  @Test
  void afterARestartFreshNoncesAreUsableAndUsedOnesOnlyForTheirDigest() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      db.nonces().addBatch(4, NonceStoreTest::fresh);
      db.nonces().reserve(0, A);
      db.nonces().reserve(1, B);
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.nonces().reserve(0, A).repeat()).isTrue();
      assertThat(db.nonces().reserve(1, B).repeat()).isTrue();
      assertThatThrownBy(() -> db.nonces().reserve(0, B)).isInstanceOf(NonceRefusedException.class);
      assertThatThrownBy(() -> db.nonces().reserve(1, A)).isInstanceOf(NonceRefusedException.class);
      NonceStore.Reservation r = db.nonces().reserve(2, B);
      assertThat(r.repeat()).isFalse();
      assertThat(r.nonce().sealedSecret()).isEqualTo(bytes("SECRET-2", 60));
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThatThrownBy(() -> db.nonces().reserve(2, A)).isInstanceOf(NonceRefusedException.class);
      List<NonceStore.State> states = new ArrayList<>();
      db.nonces()
          .forEach(
              0,
              (id, e) -> {
                states.add(e.state());
                return true;
              });
      assertThat(states)
          .containsExactly(
              NonceStore.State.USED,
              NonceStore.State.USED,
              NonceStore.State.USED,
              NonceStore.State.FRESH);
    }
  }

  @Test
  void theHighWaterMarkNeverGoesBackAcrossReopensAndPruning() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      db.nonces().addBatch(10, NonceStoreTest::fresh);
      for (long id = 0; id < 6; id++) db.nonces().reserve(id, A);
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.nonces().nextId()).isEqualTo(10);
      assertThat(db.nonces().prune(6)).isEqualTo(6);
      assertThat(db.nonces().prune(3)).isZero(); // the watermark only goes up
      assertThatThrownBy(() -> db.nonces().prune(11))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ids issued so far are below 10");
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.nonces().prunedBelow()).isEqualTo(6);
      assertThat(db.nonces().count()).isEqualTo(4);
      assertThatThrownBy(() -> db.nonces().reserve(5, A))
          .isInstanceOfSatisfying(
              NonceRefusedException.class,
              e -> assertThat(e.reason()).isEqualTo(NonceRefusedException.Reason.DISCARDED))
          .hasMessageContaining("nonce 5 ")
          .hasMessageContaining("discarded");
      // pruning everything, fresh ones included, still never re-issues an id
      assertThat(db.nonces().prune(10)).isEqualTo(4);
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.nonces().count()).isZero();
      assertThat(db.nonces().addBatch(2, NonceStoreTest::fresh))
          .extracting(NonceStore.Entry::id)
          .containsExactly(10L, 11L);
    }
  }

  @Test
  void secretsStayOutOfToString() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      NonceStore.Entry e = db.nonces().addBatch(1, NonceStoreTest::fresh).getFirst();
      String secretHex = Hex.encode(bytes("SECRET-0", 60));
      assertThat(e.toString()).contains("secret redacted").doesNotContain(secretHex);
      assertThat(fresh(0).toString()).doesNotContain(secretHex);
      assertThat(db.nonces().reserve(0, A).toString()).doesNotContain(secretHex);
    }
  }

  /** Writes {@code raw} under {@code key} in the nonce column behind the store's back. */
  private void corrupt(byte[] key, byte[] raw) {
    try (KvStore kv = KvStore.open(dir, VigilDatabase.SCHEMA_VERSION, VigilDatabase.COLUMNS)) {
      var column = kv.column(VigilDatabase.FROST_NONCES, KvCodecs.bytes(), KvCodecs.bytes());
      if (raw == null) column.delete(key);
      else column.put(key, raw);
    }
  }

  @Test
  void garbageInTheColumnIsAClearErrorNeverAReusableNonce() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      db.nonces().addBatch(4, NonceStoreTest::fresh);
      db.nonces().reserve(0, A);
    }
    // a used entry whose state byte was flipped to fresh: version 1 | id | state ...
    byte[] flipped;
    try (KvStore kv = KvStore.open(dir, VigilDatabase.SCHEMA_VERSION, VigilDatabase.COLUMNS)) {
      flipped =
          kv.column(VigilDatabase.FROST_NONCES, KvCodecs.bytes(), KvCodecs.bytes())
              .get(idKey(0))
              .orElseThrow();
    }
    flipped[9] = 1; // "fresh", but the 32 digest bytes are still there: it does not decode
    corrupt(idKey(0), flipped);
    corrupt(idKey(1), new byte[] {1, 2, 3});
    corrupt(idKey(2), new byte[] {7, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 1, 5, 0, 1, 6});
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThatThrownBy(() -> db.nonces().reserve(0, B))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("column frost_nonces")
          .hasMessageContaining("0x010000000000000000")
          .hasMessageContaining("cannot decode");
      assertThatThrownBy(() -> db.nonces().reserve(1, A))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("column frost_nonces")
          .hasMessageContaining("at least 10 bytes, got 3");
      assertThatThrownBy(() -> db.nonces().reserve(2, A))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("unknown nonce entry version 7");
      assertThat(db.nonces().reserve(3, A).repeat()).isFalse(); // the sound one still works
    }
  }

  @Test
  void anEntryUnderAnotherIdOrALostMarkIsDamageNotANewNonce() throws Exception {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      db.nonces().addBatch(3, NonceStoreTest::fresh);
    }
    byte[] entry1;
    try (KvStore kv = KvStore.open(dir, VigilDatabase.SCHEMA_VERSION, VigilDatabase.COLUMNS)) {
      entry1 =
          kv.column(VigilDatabase.FROST_NONCES, KvCodecs.bytes(), KvCodecs.bytes())
              .get(idKey(1))
              .orElseThrow();
    }
    corrupt(idKey(2), entry1); // copied under another id
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThatThrownBy(() -> db.nonces().reserve(2, A))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("the entry stored under nonce 2 is the entry of nonce 1");
    }
    corrupt(idKey(2), null);
    corrupt(new byte[] {0, 1}, null); // the high-water mark is lost
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThatThrownBy(() -> db.nonces().addBatch(1, NonceStoreTest::fresh))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("is damaged");
      assertThat(db.nonces().get(0)).isPresent();
    }
    corrupt(new byte[] {0, 1}, ByteBuffer.allocate(8).putLong(1).array()); // the mark went back
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThatThrownBy(() -> db.nonces().addBatch(1, NonceStoreTest::fresh))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("refusing to issue nonce ids again");
    }
    corrupt(idKey(0), null); // an issued entry vanished
    corrupt(new byte[] {0, 1}, ByteBuffer.allocate(8).putLong(3).array());
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThatThrownBy(() -> db.nonces().reserve(0, A))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("nonce 0 was issued")
          .hasMessageContaining("but is not stored");
    }
  }
}
