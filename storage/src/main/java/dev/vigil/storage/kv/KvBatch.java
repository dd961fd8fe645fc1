package dev.vigil.storage.kv;

import dev.vigil.storage.StorageException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Puts and deletes, possibly across columns, that {@link KvStore#write} applies all at once. Only
 * valid inside the body passed to that call.
 */
public final class KvBatch {
  private final KvStore store;
  private final WriteBatch batch;
  private int size;
  private boolean sealed;

  KvBatch(KvStore store, WriteBatch batch) {
    this.store = store;
    this.batch = batch;
  }

  public <K, V> KvBatch put(KvColumn<K, V> column, K key, V value) {
    check(column);
    byte[] k = column.encodeKey(key);
    byte[] v = column.encodeValue(value);
    try {
      batch.put(column.handle(), k, v);
    } catch (RocksDBException e) {
      throw new StorageException(
          "column "
              + column.name()
              + ": cannot add a put of key 0x"
              + KvColumn.hex(k)
              + " to a batch: "
              + e.getMessage(),
          e);
    }
    size++;
    return this;
  }

  public <K> KvBatch delete(KvColumn<K, ?> column, K key) {
    check(column);
    byte[] k = column.encodeKey(key);
    try {
      batch.delete(column.handle(), k);
    } catch (RocksDBException e) {
      throw new StorageException(
          "column "
              + column.name()
              + ": cannot add a delete of key 0x"
              + KvColumn.hex(k)
              + " to a batch: "
              + e.getMessage(),
          e);
    }
    size++;
    return this;
  }

  /** Puts and deletes so far. */
  public int size() {
    return size;
  }

  void seal() {
    sealed = true;
  }

  private void check(KvColumn<?, ?> column) {
    if (sealed)
      throw new IllegalStateException(
          "this batch was already written (or abandoned); start a new one");
    if (column.store() != store) {
      throw new IllegalArgumentException(
          "column " + column.name() + " belongs to another store than this batch");
    }
  }
}
