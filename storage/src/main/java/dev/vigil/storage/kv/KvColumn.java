package dev.vigil.storage.kv;

import dev.vigil.storage.StorageException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;

/**
 * A typed view of one column: keys and values go through their codecs. Single writes are {@link
 * Durability#UNSYNCED} unless a durability is given. Stored bytes that do not decode raise a {@link
 * StorageException} naming the column and the key in hex.
 */
public final class KvColumn<K, V> {
  private final KvStore store;
  private final String name;
  private final KvCodec<K> keys;
  private final KvCodec<V> values;

  KvColumn(KvStore store, String name, KvCodec<K> keys, KvCodec<V> values) {
    this.store = store;
    this.name = name;
    this.keys = keys;
    this.values = values;
  }

  /** Decides whether an iteration goes on: return false to stop. */
  @FunctionalInterface
  public interface Visitor<K, V> {
    boolean visit(K key, V value);
  }

  public String name() {
    return name;
  }

  public Optional<V> get(K key) {
    byte[] k = encodeKey(key);
    Lock l = store.readLock("read column " + name);
    try {
      byte[] raw = store.get(name, k);
      return raw == null ? Optional.empty() : Optional.of(decodeValue(k, raw));
    } catch (RocksDBException e) {
      throw engineError("read", k, e);
    } finally {
      l.unlock();
    }
  }

  public boolean contains(K key) {
    byte[] k = encodeKey(key);
    Lock l = store.readLock("read column " + name);
    try {
      return store.get(name, k) != null;
    } catch (RocksDBException e) {
      throw engineError("read", k, e);
    } finally {
      l.unlock();
    }
  }

  public void put(K key, V value) {
    put(key, value, Durability.UNSYNCED);
  }

  public void put(K key, V value, Durability durability) {
    byte[] k = encodeKey(key);
    byte[] v = encodeValue(value);
    store.write("column " + name + ": write of key 0x" + hex(k), name, k, v, durability);
  }

  public void delete(K key) {
    delete(key, Durability.UNSYNCED);
  }

  public void delete(K key, Durability durability) {
    byte[] k = encodeKey(key);
    store.write("column " + name + ": delete of key 0x" + hex(k), name, k, null, durability);
  }

  /**
   * Visits the entries in {@code range} in ascending key byte order, over a consistent snapshot,
   * until the visitor returns false. The visitor may read this store but must not close it.
   */
  public void forEach(KvRange range, Visitor<K, V> visitor) {
    Lock l = store.readLock("iterate column " + name);
    try {
      store.scan(name, range, (k, v) -> visitor.visit(decodeKey(k), decodeValue(k, v)));
    } catch (RocksDBException e) {
      throw new StorageException(
          "column "
              + name
              + ": iteration over "
              + range
              + " failed in data dir "
              + store.path()
              + ": "
              + e.getMessage(),
          e);
    } finally {
      l.unlock();
    }
  }

  /** At most {@code limit} entries of {@code range}, in key order. */
  public List<KvEntry<K, V>> list(KvRange range, int limit) {
    if (limit < 0) throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    List<KvEntry<K, V>> out = new ArrayList<>();
    if (limit == 0) return out;
    forEach(
        range,
        (k, v) -> {
          out.add(new KvEntry<>(k, v));
          return out.size() < limit;
        });
    return out;
  }

  /** Counts the keys in {@code range} by walking them (cost grows with the range). */
  public long count(KvRange range) {
    long[] n = {0};
    Lock l = store.readLock("iterate column " + name);
    try {
      store.scan(
          name,
          range,
          (k, v) -> {
            n[0]++;
            return true;
          });
    } catch (RocksDBException e) {
      throw new StorageException(
          "column " + name + ": count failed in data dir " + store.path() + ": " + e.getMessage(),
          e);
    } finally {
      l.unlock();
    }
    return n[0];
  }

  public boolean isEmpty() {
    return list(KvRange.all(), 1).isEmpty();
  }

  KvStore store() {
    return store;
  }

  /** Only while the store's read lock is held (inside a batch body). */
  ColumnFamilyHandle handle() {
    return store.handle(name);
  }

  /** The key's bytes, e.g. to build a range. */
  public byte[] encodeKey(K key) {
    try {
      return keys.encode(key);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "column " + name + ": cannot encode key " + key + ": " + e.getMessage(), e);
    }
  }

  byte[] encodeValue(V value) {
    try {
      return values.encode(value);
    } catch (RuntimeException e) {
      // The value itself stays out of the message: it may be large or sensitive.
      throw new IllegalArgumentException(
          "column " + name + ": cannot encode value: " + e.getMessage(), e);
    }
  }

  private K decodeKey(byte[] k) {
    K key;
    try {
      key = keys.decode(k);
    } catch (RuntimeException e) {
      throw new StorageException(
          "column " + name + ": cannot decode key 0x" + hex(k) + ": " + e.getMessage(), e);
    }
    if (key == null)
      throw new StorageException("column " + name + ": key 0x" + hex(k) + " decoded to null");
    return key;
  }

  private V decodeValue(byte[] k, byte[] raw) {
    V v;
    try {
      v = values.decode(raw);
    } catch (RuntimeException e) {
      throw new StorageException(
          "column "
              + name
              + ": cannot decode the value stored under key 0x"
              + hex(k)
              + ": "
              + e.getMessage(),
          e);
    }
    if (v == null)
      throw new StorageException(
          "column " + name + ": the value under key 0x" + hex(k) + " decoded to null");
    return v;
  }

  private StorageException engineError(String op, byte[] k, RocksDBException e) {
    return new StorageException(
        "column "
            + name
            + ": "
            + op
            + " of key 0x"
            + hex(k)
            + " failed in data dir "
            + store.path()
            + ": "
            + e.getMessage(),
        e);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Override
  public String toString() {
    return "KvColumn[" + name + " in " + store.path() + "]";
  }
}
