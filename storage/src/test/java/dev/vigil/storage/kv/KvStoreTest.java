package dev.vigil.storage.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

class KvStoreTest {
  @TempDir Path dir;

  private static final List<String> COLUMNS = List.of("a", "b");

  private static KvColumn<String, Long> a(KvStore s) {
    return s.column("a", KvCodecs.utf8(), KvCodecs.u64());
  }

  private static KvColumn<String, String> b(KvStore s) {
    return s.column("b", KvCodecs.utf8(), KvCodecs.utf8());
  }

  @Test
  void putGetDeleteAndReopenKeepsData() {
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      a(s).put("x", 42L);
      a(s).put("y", 7L, Durability.SYNCED);
      b(s).put("x", "in another column");
      a(s).put("gone", 1L);
      a(s).delete("gone");
      assertThat(a(s).get("x")).contains(42L);
      assertThat(a(s).get("gone")).isEmpty();
      assertThat(a(s).contains("y")).isTrue();
    }
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      assertThat(a(s).get("x")).contains(42L);
      assertThat(a(s).get("y")).contains(7L);
      assertThat(b(s).get("x")).contains("in another column");
      assertThat(a(s).get("gone")).isEmpty();
    }
  }

  @Test
  void batchWritesAllColumnsAtOnce() {
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      a(s).put("old", 1L);
      s.write(
          Durability.SYNCED,
          batch -> batch.put(a(s), "k", 1L).put(b(s), "k", "v").delete(a(s), "old"));
      assertThat(a(s).get("k")).contains(1L);
      assertThat(b(s).get("k")).contains("v");
      assertThat(a(s).get("old")).isEmpty();
    }
  }

  @Test
  void batchWhoseBodyThrowsWritesNothing() {
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      a(s).put("old", 1L);
      assertThatThrownBy(
              () ->
                  s.write(
                      Durability.SYNCED,
                      batch -> {
                        batch.put(a(s), "k", 1L).put(b(s), "k", "v").delete(a(s), "old");
                        throw new IllegalStateException("boom in the middle");
                      }))
          .hasMessage("boom in the middle");
      assertThat(a(s).get("k")).isEmpty();
      assertThat(b(s).get("k")).isEmpty();
      assertThat(a(s).get("old")).contains(1L);
    }
  }

  @Test
  void batchWithAValueThatDoesNotEncodeWritesNothing() {
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      KvColumn<String, byte[]> fixed = s.column("b", KvCodecs.utf8(), KvCodecs.fixedBytes(4));
      assertThatThrownBy(
              () ->
                  s.write(
                      Durability.UNSYNCED,
                      batch -> {
                        batch.put(a(s), "k", 1L);
                        batch.put(fixed, "k", new byte[3]);
                      }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("column b")
          .hasMessageContaining("4 bytes, got 3");
      assertThat(a(s).get("k")).isEmpty();
    }
  }

  @Test
  void aBatchCannotBeUsedAfterItsWrite() {
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      KvBatch[] kept = new KvBatch[1];
      s.write(Durability.UNSYNCED, batch -> kept[0] = batch.put(a(s), "k", 1L));
      assertThatThrownBy(() -> kept[0].put(a(s), "late", 2L))
          .isInstanceOf(IllegalStateException.class);
      assertThat(a(s).get("late")).isEmpty();
    }
  }

  @Test
  void schemaFromAnOlderVersionRefusesToOpenNamingBothVersionsAndThePath() {
    KvStore.open(dir, 1, COLUMNS).close();
    assertThatThrownBy(() -> KvStore.open(dir, 2, COLUMNS))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("data dir " + dir.toAbsolutePath())
        .hasMessageContaining("has schema version 1 but this Vigil expects schema version 2")
        .hasMessageContaining("older Vigil");
  }

  @Test
  void schemaFromANewerVersionWithMoreColumnsRefusesToOpen() {
    KvStore.open(dir, 3, List.of("a", "b", "added_in_v3")).close();
    assertThatThrownBy(() -> KvStore.open(dir, 2, COLUMNS))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("has schema version 3 but this Vigil expects schema version 2")
        .hasMessageContaining("newer Vigil");
    // the refused open left the database as it was
    try (KvStore s = KvStore.open(dir, 3, List.of("a", "b", "added_in_v3"))) {
      assertThat(s.schemaVersion()).isEqualTo(3);
    }
  }

  @Test
  void columnsUnknownToThisVersionRefuseToOpen() {
    KvStore.open(dir, 1, List.of("a", "b", "stray")).close();
    assertThatThrownBy(() -> KvStore.open(dir, 1, COLUMNS))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("columns this Vigil does not know: [stray]");
  }

  @Test
  void aDatabaseWithDataButNoSchemaVersionIsRefused() throws Exception {
    try (DBOptions o =
        new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)) {
      List<ColumnFamilyDescriptor> cfs =
          List.of(
              new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
              new ColumnFamilyDescriptor("a".getBytes(StandardCharsets.UTF_8)));
      List<ColumnFamilyHandle> handles = new java.util.ArrayList<>();
      try (RocksDB db = RocksDB.open(o, dir.toString(), cfs, handles)) {
        db.put(handles.get(1), "k".getBytes(StandardCharsets.UTF_8), new byte[8]);
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
    assertThatThrownBy(() -> KvStore.open(dir, 1, COLUMNS))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("holds data but no schema version")
        .hasMessageContaining(dir.toAbsolutePath().toString());
  }

  @Test
  void anOpenDataDirCannotBeOpenedAgain() {
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      assertThatThrownBy(() -> KvStore.open(dir, 1, COLUMNS))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining(
              "data dir " + dir.toAbsolutePath() + " is in use by another Vigil process");
      a(s).put("still", 1L);
      assertThat(a(s).get("still")).contains(1L);
    }
  }

  @Test
  void storedValueThatDoesNotDecodeNamesColumnAndKey() {
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      s.column("a", KvCodecs.utf8(), KvCodecs.bytes()).put("k1", new byte[] {1, 2, 3});
      assertThatThrownBy(() -> a(s).get("k1"))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("column a")
          .hasMessageContaining("key 0x" + "6b31")
          .hasMessageContaining("u64 must be 8 bytes, got 3");
      assertThatThrownBy(() -> a(s).list(KvRange.all(), 10))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("column a");
    }
  }

  @Test
  void storedKeyThatDoesNotDecodeNamesColumnAndKey() {
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      s.column("b", KvCodecs.bytes(), KvCodecs.utf8())
          .put(new byte[] {(byte) 0xff, (byte) 0xfe}, "v");
      assertThatThrownBy(() -> b(s).list(KvRange.all(), 10))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("column b: cannot decode key 0xfffe")
          .hasMessageContaining("UTF-8");
    }
  }

  @Test
  void iterationVisitsPrefixesAndRangesInByteOrder() {
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      KvColumn<String, Long> col = a(s);
      for (String k : List.of("b2", "a1", "b1", "c1", "a2", "b3")) col.put(k, (long) k.hashCode());
      assertThat(keys(col, KvRange.all(), 100)).containsExactly("a1", "a2", "b1", "b2", "b3", "c1");
      assertThat(keys(col, KvRange.prefix(bytes("b")), 100)).containsExactly("b1", "b2", "b3");
      assertThat(keys(col, KvRange.prefix(bytes("b")).startingAt(bytes("b2")), 100))
          .containsExactly("b2", "b3");
      assertThat(keys(col, KvRange.prefix(bytes("b")).startingAt(bytes("a")), 100))
          .containsExactly("b1", "b2", "b3");
      assertThat(keys(col, KvRange.between(bytes("a2"), bytes("b3")), 100))
          .containsExactly("a2", "b1", "b2");
      assertThat(keys(col, KvRange.from(bytes("b3")), 100)).containsExactly("b3", "c1");
      assertThat(keys(col, KvRange.prefix(bytes("d")), 100)).isEmpty();
      assertThat(keys(col, KvRange.all(), 2)).containsExactly("a1", "a2");
      assertThat(col.count(KvRange.prefix(bytes("a")))).isEqualTo(2);
      assertThat(col.isEmpty()).isFalse();
      assertThat(b(s).isEmpty()).isTrue();
    }
  }

  @Test
  void syncedWritesFsyncTheLogAndUnsyncedOnesDoNot() {
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      long before = s.walSyncCount();
      for (int i = 0; i < 5; i++) a(s).put("u" + i, (long) i);
      assertThat(s.walSyncCount()).isEqualTo(before);
      a(s).put("s", 1L, Durability.SYNCED);
      assertThat(s.walSyncCount()).isGreaterThan(before);
      long mid = s.walSyncCount();
      s.write(Durability.SYNCED, batch -> batch.put(a(s), "t", 2L));
      assertThat(s.walSyncCount()).isGreaterThan(mid);
    }
  }

  @Test
  void callsAfterCloseFailCleanly() {
    KvStore s = KvStore.open(dir, 1, COLUMNS);
    KvColumn<String, Long> col = a(s);
    s.close();
    s.close(); // twice is fine
    assertThatThrownBy(() -> col.get("x"))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(() -> col.put("x", 1L))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void closingFromInsideAnIterationIsRefusedRatherThanDeadlocking() {
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      a(s).put("x", 1L);
      assertThatThrownBy(
              () ->
                  a(s).forEach(
                          KvRange.all(),
                          (k, v) -> {
                            s.close();
                            return true;
                          }))
          .isInstanceOf(IllegalStateException.class);
      assertThat(a(s).get("x")).contains(1L);
    }
  }

  @Test
  void reservedAndUndeclaredColumnsAreRefused() {
    assertThatThrownBy(() -> KvStore.open(dir, 1, List.of("meta")))
        .hasMessageContaining("'meta' is reserved");
    assertThatThrownBy(() -> KvStore.open(dir, 1, List.of("a", "a")))
        .hasMessageContaining("declared twice");
    try (KvStore s = KvStore.open(dir, 1, COLUMNS)) {
      assertThatThrownBy(() -> s.column("c", KvCodecs.bytes(), KvCodecs.bytes()))
          .hasMessageContaining("column 'c' was not declared");
      assertThatThrownBy(() -> s.column("meta", KvCodecs.bytes(), KvCodecs.bytes()))
          .hasMessageContaining("not declared");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> keys(KvColumn<String, Long> col, KvRange range, int limit) {
    return col.list(range, limit).stream().map(KvEntry::key).toList();
  }
}
