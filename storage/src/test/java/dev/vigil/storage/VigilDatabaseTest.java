package dev.vigil.storage;

import static dev.vigil.storage.TestData.bytes;
import static dev.vigil.storage.TestData.digest;
import static dev.vigil.storage.TestData.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.signing.Address;
import dev.vigil.signing.MessageId;
import dev.vigil.storage.kv.Durability;
import dev.vigil.storage.kv.KvCodecs;
import dev.vigil.storage.kv.KvStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilDatabaseTest {
  @TempDir Path dir;

  private static final Address ALICE = Address.fromHex("0x" + "11".repeat(20));
  private static final Address BOB = Address.fromHex("0x" + "22".repeat(20));

  @Test
  void attestationsRoundTripByKeyAndDigestAndSurviveReopen() {
    MessageId k = key(2, 0xaa, 7);
    byte[] att = bytes("attestation", 500);
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      db.attestations().put(k, digest("d7"), att);
      assertThat(db.attestations().get(k)).contains(new StoredAttestation(k, digest("d7"), att));
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.attestations().get(k).orElseThrow().bytes()).isEqualTo(att);
      assertThat(db.attestations().keyOf(digest("d7"))).contains(k);
      assertThat(db.attestations().getByDigest(digest("d7")).orElseThrow().key()).isEqualTo(k);
      assertThat(db.attestations().getByDigest(digest("other"))).isEmpty();
      assertThat(db.attestations().get(key(2, 0xaa, 8))).isEmpty();
      assertThat(db.attestations().count()).isEqualTo(1);
    }
  }

  @Test
  void replacingAnAttestationWithAnotherDigestMovesTheIndex() {
    MessageId k = key(2, 0xaa, 7);
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      db.attestations().put(k, digest("first"), bytes("a", 10));
      db.attestations().put(k, digest("second"), bytes("b", 12));
      assertThat(db.attestations().get(k).orElseThrow().digest()).isEqualTo(digest("second"));
      assertThat(db.attestations().keyOf(digest("first"))).isEmpty();
      assertThat(db.attestations().keyOf(digest("second"))).contains(k);
      assertThat(db.attestations().count()).isEqualTo(1);
    }
  }

  @Test
  void aRoundOfAttestationsIsOneWriteWithWhatElseTheRoundAdds() {
    MessageId a = key(2, 0xaa, 1);
    MessageId b = key(2, 0xaa, 2);
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      db.attestations().put(a, digest("old a"), bytes("old", 10));
      db.pendingOwn().put(b, bytes("pending b", 20));
      db.attestations()
          .putAll(
              List.of(
                  new AttestationStore.Entry(a, digest("new a"), bytes("new a", 12)),
                  new AttestationStore.Entry(b, digest("b1"), bytes("b1", 14)),
                  new AttestationStore.Entry(b, digest("b2"), bytes("b2", 16))),
              batch -> db.pendingOwn().remove(batch, b));
      assertThat(db.attestations().get(a).orElseThrow().bytes()).isEqualTo(bytes("new a", 12));
      assertThat(db.attestations().get(b).orElseThrow().digest()).isEqualTo(digest("b2"));
      // Every replaced digest, from the store or from earlier in the same round, leaves the index.
      assertThat(db.attestations().keyOf(digest("old a"))).isEmpty();
      assertThat(db.attestations().keyOf(digest("b1"))).isEmpty();
      assertThat(db.attestations().keyOf(digest("b2"))).contains(b);
      assertThat(db.attestations().keyOf(digest("new a"))).contains(a);
      assertThat(db.pendingOwn().get(b)).isEmpty();
      assertThat(db.attestations().count()).isEqualTo(2);
      assertThatThrownBy(() -> new AttestationStore.Entry(a, digest("x"), new byte[0]))
          .hasMessageContaining("empty");
    }
  }

  @Test
  void attestationsListInKeyOrderAndByEmitter() {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      List<MessageId> keys =
          List.of(key(2, 1, 0), key(2, 1, 1), key(2, 1, 5), key(2, 2, 0), key(5, 1, 3));
      for (MessageId k : keys.reversed())
        db.attestations().put(k, digest(k.toString()), bytes(k.toString(), 40));
      assertThat(db.attestations().list(key(0, 0, 0), 100))
          .extracting(StoredAttestation::key)
          .containsExactlyElementsOf(keys);
      assertThat(db.attestations().list(key(2, 1, 1), 2))
          .extracting(StoredAttestation::key)
          .containsExactly(key(2, 1, 1), key(2, 1, 5));
      assertThat(db.attestations().listEmitter(2, key(2, 1, 0).emitterAddress(), 1, 100))
          .extracting(StoredAttestation::key)
          .containsExactly(key(2, 1, 1), key(2, 1, 5));
      List<MessageId> seen = new ArrayList<>();
      db.attestations().forEach(a -> seen.add(a.key()) && seen.size() < 3);
      assertThat(seen).containsExactlyElementsOf(keys.subList(0, 3));
      assertThatThrownBy(() -> db.attestations().put(key(1, 1, 1), digest("x"), new byte[0]))
          .hasMessageContaining("empty");
    }
  }

  @Test
  void signingRecordsRoundTripAndSurviveReopen() {
    MessageId k = key(1, 0x33, 9);
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      SigningRecordStore.Check first = db.signingRecords().checkAndRecord(k, digest("a"));
      assertThat(first.decision()).isEqualTo(SigningDecision.ALLOW_NEW);
      assertThat(db.signingRecords().get(k)).contains(digest("a"));
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.signingRecords().get(k)).contains(digest("a"));
      SigningRecordStore.Check again = db.signingRecords().checkAndRecord(k, digest("b"));
      assertThat(again.decision()).isEqualTo(SigningDecision.REFUSE_CONFLICT);
      assertThat(again.recorded()).isEqualTo(digest("a"));
      assertThat(db.signingRecords().get(k)).contains(digest("a"));
      assertThat(db.signingRecords().count()).isEqualTo(1);
    }
  }

  @Test
  void aNewSigningRecordIsASyncedWrite() {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      long before = db.walSyncCount();
      db.signingRecords().checkAndRecord(key(1, 1, 1), digest("a"));
      long afterNew = db.walSyncCount();
      assertThat(afterNew).isGreaterThan(before);
      db.signingRecords().checkAndRecord(key(1, 1, 1), digest("a"));
      db.signingRecords().checkAndRecord(key(1, 1, 1), digest("b"));
      assertThat(db.walSyncCount())
          .as("same and refused digests write nothing")
          .isEqualTo(afterNew);
    }
  }

  @Test
  void pendingObservationsRoundTripAndListAllAfterReopen() {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      db.pendingOwn().put(key(2, 1, 2), bytes("obs2", 100));
      db.pendingOwn().put(key(2, 1, 1), bytes("obs1", 100));
      db.pendingOwn().put(key(2, 1, 3), bytes("obs3", 100));
      db.pendingOwn().remove(key(2, 1, 2));
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.pendingOwn().all())
          .containsExactly(
              new PendingObservation(key(2, 1, 1), bytes("obs1", 100)),
              new PendingObservation(key(2, 1, 3), bytes("obs3", 100)));
      assertThat(db.pendingOwn().get(key(2, 1, 3)).orElseThrow()).isEqualTo(bytes("obs3", 100));
      assertThat(db.pendingOwn().get(key(2, 1, 2))).isEmpty();
      assertThat(db.pendingOwn().count()).isEqualTo(2);
    }
  }

  @Test
  void cursorsRoundTripPerChain() {
    ChainCursor c1 = new ChainCursor(100, bytes("h100", 32));
    ChainCursor c2 = new ChainCursor(7, bytes("h7", 32));
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      db.cursors().put(1, new ChainCursor(99, bytes("h99", 32)));
      db.cursors().put(1, c1);
      db.cursors().put(31337, c2);
      assertThatThrownBy(() -> db.cursors().put(-1, c1))
          .hasMessageContaining("chain id must be >= 0");
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.cursors().get(1)).contains(c1);
      assertThat(db.cursors().get(2)).isEmpty();
      assertThat(db.cursors().all()).isEqualTo(Map.of(1L, c1, 31337L, c2));
    }
  }

  @Test
  void evidenceIsAppendOnlyDedupedCappedAndKeptAcrossReopen() {
    MessageId k = key(2, 1, 1);
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.evidence().append(k, ALICE, bytes("e0", 200))).isTrue();
      assertThat(db.evidence().append(k, ALICE, bytes("e1", 200))).isTrue();
      assertThat(db.evidence().append(k, ALICE, bytes("e0", 200)))
          .as("identical evidence is kept once")
          .isFalse();
      assertThat(db.evidence().append(k, BOB, bytes("b0", 200))).isTrue();
      assertThat(db.evidence().append(key(2, 1, 2), ALICE, bytes("other", 200))).isTrue();
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.evidence().get(k, ALICE))
          .containsExactly(
              new EvidenceRecord(k, ALICE, 0, bytes("e0", 200)),
              new EvidenceRecord(k, ALICE, 1, bytes("e1", 200)));
      assertThat(db.evidence().forMessage(k))
          .extracting(EvidenceRecord::signer)
          .containsExactly(ALICE, ALICE, BOB);
      assertThat(db.evidence().count()).isEqualTo(4);
      for (int i = 2; i < EvidenceStore.MAX_PER_SIGNER; i++)
        assertThat(db.evidence().append(k, ALICE, bytes("e" + i, 20))).isTrue();
      assertThat(db.evidence().append(k, ALICE, bytes("one too many", 20))).isFalse();
      assertThat(db.evidence().get(k, ALICE)).hasSize(EvidenceStore.MAX_PER_SIGNER);
    }
  }

  @Test
  void aBatchAcrossStoresIsAllOrNothing() {
    MessageId k = key(2, 1, 1);
    ChainCursor c = new ChainCursor(10, bytes("h10", 32));
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThatThrownBy(
              () ->
                  db.write(
                      Durability.SYNCED,
                      batch -> {
                        db.pendingOwn().put(batch, k, bytes("obs", 50));
                        db.cursors().put(batch, 1, c);
                        throw new IllegalStateException("observer failed half-way");
                      }))
          .hasMessage("observer failed half-way");
      assertThat(db.pendingOwn().get(k)).isEmpty();
      assertThat(db.cursors().get(1)).isEmpty();

      db.write(
          Durability.SYNCED,
          batch -> {
            db.pendingOwn().put(batch, k, bytes("obs", 50));
            db.cursors().put(batch, 1, c);
          });
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.pendingOwn().get(k)).isPresent();
      assertThat(db.cursors().get(1)).contains(c);
      db.write(Durability.UNSYNCED, batch -> db.pendingOwn().remove(batch, k));
      assertThat(db.pendingOwn().get(k)).isEmpty();
    }
  }

  @Test
  void aDatabaseOfAnotherSchemaVersionRefusesToOpen() {
    KvStore.open(dir, VigilDatabase.SCHEMA_VERSION + 1, VigilDatabase.COLUMNS).close();
    assertThatThrownBy(() -> VigilDatabase.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(dir.toAbsolutePath().toString())
        .hasMessageContaining(
            "has schema version "
                + (VigilDatabase.SCHEMA_VERSION + 1)
                + " but this Vigil expects schema version "
                + VigilDatabase.SCHEMA_VERSION);
  }

  @Test
  void anOpenDatabaseCannotBeOpenedTwice() {
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThatThrownBy(() -> VigilDatabase.open(dir))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("is in use by another Vigil process");
      db.cursors().put(1, new ChainCursor(1, new byte[32]));
    }
  }

  /** Writes {@code raw} under {@code key} in {@code column} behind the stores' backs. */
  private void corrupt(String column, byte[] key, byte[] raw) {
    try (KvStore kv = KvStore.open(dir, VigilDatabase.SCHEMA_VERSION, VigilDatabase.COLUMNS)) {
      kv.column(column, KvCodecs.bytes(), KvCodecs.bytes()).put(key, raw);
    }
  }

  @Test
  void corruptedValuesGiveAStorageExceptionNamingColumnAndKey() {
    MessageId k = key(2, 1, 1);
    String keyHex = "0x" + dev.vigil.signing.Hex.encode(k.encode());
    corrupt(VigilDatabase.SIGNING_RECORDS, k.encode(), new byte[5]);
    corrupt(VigilDatabase.ATTESTATIONS, k.encode(), new byte[10]);
    corrupt(VigilDatabase.CURSORS, new byte[8], new byte[39]);
    corrupt(VigilDatabase.PENDING_OWN, new byte[3], new byte[1]);
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThatThrownBy(() -> db.signingRecords().get(k))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("column signing_records")
          .hasMessageContaining(keyHex)
          .hasMessageContaining("a digest is 32 bytes, got 5");
      assertThatThrownBy(() -> db.attestations().get(k))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("column attestations")
          .hasMessageContaining(keyHex);
      assertThatThrownBy(() -> db.cursors().get(0))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("column cursors")
          .hasMessageContaining("a chain cursor is 40 bytes, got 39");
      assertThatThrownBy(() -> db.pendingOwn().all())
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("column pending_own: cannot decode key 0x000000")
          .hasMessageContaining("an encoded message id is 42 bytes, got 3");
    }
  }

  @Test
  void installedCommitteesSurviveReopenAndTheLatestIsTheHighestIndex() {
    Address a = Address.fromHex("0x1111111111111111111111111111111111111111");
    Address b = Address.fromHex("0x2222222222222222222222222222222222222222");
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.committees().latest()).isEmpty();
      db.committees().put(new InstalledCommittee(1, List.of(a, b), 1_000L, new byte[] {1, 2, 3}));
      db.committees().put(new InstalledCommittee(2, List.of(b), 2_000L, new byte[] {4}));
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      assertThat(db.committees().all())
          .extracting(InstalledCommittee::index)
          .containsExactly(1L, 2L);
      InstalledCommittee latest = db.committees().latest().orElseThrow();
      assertThat(latest.members()).containsExactly(b);
      assertThat(latest.installedAtMillis()).isEqualTo(2_000L);
      assertThat(latest.rotationAttestation()).containsExactly(4);
      assertThat(db.committees().get(1).orElseThrow().members()).containsExactly(a, b);
    }
  }
}
