package dev.vigil.storage.kv;

import dev.vigil.storage.StorageException;
import dev.vigil.storage.WriteHealth;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Holder;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Statistics;
import org.rocksdb.Status;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RocksDB database in a data dir, opened with a declared set of columns (column families) and a
 * schema version kept in the {@value #META} column. Opening refuses a database whose schema version
 * differs from the expected one, one that holds data but no version, and one that another process
 * has open. Thread-safe; {@link #close()} waits for calls in progress and later calls fail cleanly
 * (rather than touching freed native memory).
 */
public final class KvStore implements AutoCloseable {
  public static final String META = "meta";
  static final String DEFAULT = "default";
  static final byte[] SCHEMA_VERSION_KEY = "schema_version".getBytes(StandardCharsets.US_ASCII);
  private static final Logger log = LoggerFactory.getLogger(KvStore.class);

  static {
    RocksDB.loadLibrary();
  }

  private final Path path;
  private final int schemaVersion;
  // Replaced when the database is reopened after write failures (under the lifecycle write lock);
  // null while a reopen has failed and the next one is pending.
  private RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final Statistics statistics;
  private Map<String, ColumnFamilyHandle> handles;
  private final List<String> columnNames;
  private final WriteFailures failures;
  private final WriteOptions syncedWrites = new WriteOptions().setSync(true);
  private final WriteOptions unsyncedWrites = new WriteOptions().setSync(false);
  private final ReadOptions reads = new ReadOptions();
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private KvStore(
      Path path,
      int schemaVersion,
      RocksDB db,
      DBOptions dbOptions,
      ColumnFamilyOptions cfOptions,
      Statistics statistics,
      Map<String, ColumnFamilyHandle> handles) {
    this.path = path;
    this.schemaVersion = schemaVersion;
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.statistics = statistics;
    this.handles = handles;
    this.columnNames = List.copyOf(handles.keySet());
    this.failures = new WriteFailures(path);
  }

  /**
   * Opens (creating if needed) the database in {@code dir} with the given columns besides {@value
   * #META}, and checks its schema version.
   *
   * @throws StorageException naming the dir when it is in use by another process, has another
   *     schema version, has no version but holds data, or has columns this version does not know
   */
  public static KvStore open(Path dir, int schemaVersion, Collection<String> columns) {
    Objects.requireNonNull(dir, "dir");
    if (schemaVersion < 1)
      throw new IllegalArgumentException("schema version must be >= 1, got " + schemaVersion);
    Set<String> declared = new LinkedHashSet<>();
    for (String c : columns) {
      if (c == null || c.isBlank())
        throw new IllegalArgumentException("column name must not be blank");
      if (c.equals(DEFAULT) || c.equals(META)) {
        throw new IllegalArgumentException("column name '" + c + "' is reserved");
      }
      if (!declared.add(c))
        throw new IllegalArgumentException("column '" + c + "' is declared twice");
    }
    Path abs = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(abs);
    } catch (IOException e) {
      throw new StorageException("cannot create data dir " + abs + ": " + e, e);
    }

    Set<String> toOpen = new LinkedHashSet<>();
    toOpen.add(DEFAULT);
    toOpen.add(META);
    toOpen.addAll(declared);
    // RocksDB refuses to open unless every existing column family is named, so open the unknown
    // ones too: the schema check then gives the real reason (usually a newer version).
    List<String> unknown = new ArrayList<>();
    for (String existing : existingColumns(abs)) {
      if (toOpen.add(existing)) unknown.add(existing);
    }

    // No fallocate: RocksDB would otherwise reserve tens of MiB ahead for the write-ahead log, and
    // a
    // full disk would only show hours later at a memtable flush instead of at the next write.
    DBOptions dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setKeepLogFileNum(5)
            .setAllowFAllocate(false);
    Statistics statistics = new Statistics();
    dbOptions.setStatistics(statistics);
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
    Map<String, ColumnFamilyHandle> handles = new LinkedHashMap<>();
    RocksDB db;
    try {
      db = openEngine(abs, dbOptions, cfOptions, List.copyOf(toOpen), handles);
    } catch (RocksDBException e) {
      cfOptions.close();
      dbOptions.close();
      statistics.close();
      throw openError(abs, e);
    }

    KvStore store = new KvStore(abs, schemaVersion, db, dbOptions, cfOptions, statistics, handles);
    try {
      store.checkSchema(declared, unknown);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  private static RocksDB openEngine(
      Path dir,
      DBOptions dbOptions,
      ColumnFamilyOptions cfOptions,
      List<String> names,
      Map<String, ColumnFamilyHandle> handles)
      throws RocksDBException {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String name : names)
      descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cfOptions));
    List<ColumnFamilyHandle> opened = new ArrayList<>();
    RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, opened);
    int i = 0;
    for (String name : names) handles.put(name, opened.get(i++));
    return db;
  }

  private static List<String> existingColumns(Path dir) {
    if (!Files.exists(dir.resolve("CURRENT"))) return List.of();
    try (Options options = new Options()) {
      List<String> names = new ArrayList<>();
      for (byte[] n : RocksDB.listColumnFamilies(options, dir.toString())) {
        names.add(new String(n, StandardCharsets.UTF_8));
      }
      return names;
    } catch (RocksDBException e) {
      throw new StorageException(
          "cannot list the columns of data dir " + dir + ": " + e.getMessage(), e);
    }
  }

  private static StorageException openError(Path dir, RocksDBException e) {
    String msg = String.valueOf(e.getMessage());
    Status status = e.getStatus();
    boolean ioError = status == null || status.getCode() == Status.Code.IOError;
    // "While lock file" when another process holds it; "lock hold by current process" for a second
    // open inside this JVM.
    if (ioError
        && (msg.contains("While lock file") || msg.contains("lock hold by current process"))) {
      return new StorageException(
          "data dir "
              + dir
              + " is in use by another Vigil process (its LOCK file is held); stop that process or use another data dir",
          e);
    }
    return new StorageException("cannot open data dir " + dir + ": " + msg, e);
  }

  private void checkSchema(Set<String> declared, List<String> unknown) throws StorageException {
    ColumnFamilyHandle meta = handles.get(META);
    byte[] raw;
    try {
      raw = db.get(meta, reads, SCHEMA_VERSION_KEY);
    } catch (RocksDBException e) {
      throw new StorageException(
          "cannot read the schema version of data dir " + path + ": " + e.getMessage(), e);
    }
    if (raw == null) {
      // A crash between creating the database and writing its version leaves it empty: start over.
      if (!allColumnsEmpty()) {
        throw new StorageException(
            "data dir "
                + path
                + " holds data but no schema version: it is not a Vigil database, or it is damaged");
      }
      try {
        db.put(
            meta,
            syncedWrites,
            SCHEMA_VERSION_KEY,
            ByteBuffer.allocate(4).putInt(schemaVersion).array());
      } catch (RocksDBException e) {
        throw new StorageException(
            "cannot write the schema version of data dir " + path + ": " + e.getMessage(), e);
      }
      log.info("Created data dir {} with schema version {}", path, schemaVersion);
      return;
    }
    if (raw.length != 4) {
      throw new StorageException(
          "column "
              + META
              + ": cannot decode the value stored under key 0x"
              + HexFormat.of().formatHex(SCHEMA_VERSION_KEY)
              + " (schema_version): must be 4 bytes, got "
              + raw.length
              + "; data dir "
              + path
              + " is damaged");
    }
    int found = ByteBuffer.wrap(raw).getInt();
    if (found != schemaVersion) {
      String why =
          found > schemaVersion
              ? "it was written by a newer Vigil; run that version (downgrades are not supported)"
              : "it was written by an older Vigil and there is no migration yet; start from an empty data dir";
      throw new StorageException(
          "data dir "
              + path
              + " has schema version "
              + found
              + " but this Vigil expects schema version "
              + schemaVersion
              + ": "
              + why);
    }
    if (!unknown.isEmpty()) {
      throw new StorageException(
          "data dir "
              + path
              + " (schema version "
              + found
              + ") has columns this Vigil does not know: "
              + unknown
              + "; expected only "
              + declared);
    }
    log.debug("Opened data dir {} (schema version {})", path, found);
  }

  private boolean allColumnsEmpty() {
    for (ColumnFamilyHandle h : handles.values()) {
      try (RocksIterator it = db.newIterator(h, reads)) {
        it.seekToFirst();
        if (it.isValid()) return false;
      }
    }
    return true;
  }

  /** A typed view of a declared column. */
  public <K, V> KvColumn<K, V> column(String name, KvCodec<K> keys, KvCodec<V> values) {
    if (name.equals(META) || name.equals(DEFAULT) || !handles.containsKey(name)) {
      throw new IllegalArgumentException(
          "column '" + name + "' was not declared when data dir " + path + " was opened");
    }
    return new KvColumn<>(this, name, keys, values);
  }

  /**
   * Runs {@code body} to fill a batch and writes it atomically: either every put and delete in it
   * becomes visible (and durable as asked) or, if the body or the write throws, none does.
   */
  public void write(Durability durability, Consumer<KvBatch> body) {
    recoverIfDue("write a batch");
    Lock l = readLock("write a batch");
    try (WriteBatch wb = new WriteBatch()) {
      KvBatch batch = new KvBatch(this, wb);
      try {
        body.accept(batch);
      } finally {
        batch.seal();
      }
      if (batch.size() == 0) return;
      db.write(options(durability), wb);
      failures.succeeded();
    } catch (RocksDBException e) {
      throw failures.failed("batch write failed in data dir " + path, e);
    } finally {
      l.unlock();
    }
  }

  /**
   * Makes every earlier write durable (fsyncs the write-ahead log), e.g. after a round of unsynced
   * writes whose results are about to be served.
   */
  public void sync() {
    recoverIfDue("sync the write-ahead log");
    Lock l = readLock("sync the write-ahead log");
    try {
      db.flushWal(true);
      failures.succeeded();
    } catch (RocksDBException e) {
      throw failures.failed("syncing the write-ahead log failed in data dir " + path, e);
    } finally {
      l.unlock();
    }
  }

  /**
   * Whether writes currently succeed. After a write failed for a disk reason (full, read-only, I/O
   * error) this says so with the cause until a later write succeeds; the store retries on its own
   * (see {@link #recoverIfFailing()}).
   */
  public WriteHealth writeHealth() {
    return failures.health();
  }

  /**
   * If writes are failing and the retry backoff has passed: checks that the data dir takes a synced
   * write again and, if so, reopens the engine (RocksDB refuses every write after a failed
   * write-ahead-log write until it is reopened; RocksJava has no resume). Nothing is lost: what was
   * written before is read back from the log. Called before every write and by the node's timer.
   *
   * @return true if writes work now
   */
  public boolean recoverIfFailing() {
    if (!failures.failing()) return true;
    if (!failures.due()) return false;
    return tryRecover();
  }

  private void recoverIfDue(String what) {
    if (!failures.failing()) return;
    if (!failures.due() || !tryRecover()) throw failures.stillFailing(what);
  }

  private boolean tryRecover() {
    synchronized (failures) {
      if (!failures.failing()) return true;
      if (!failures.due()) return false;
      String probe = WriteFailures.probe(path);
      if (probe != null) {
        failures.retryLater(probe);
        return false;
      }
      if (lifecycle.getReadHoldCount() > 0) return false; // inside a read: cannot reopen here
      lifecycle.writeLock().lock();
      try {
        if (closed) return false;
        closeEngine(true);
        Map<String, ColumnFamilyHandle> reopened = new LinkedHashMap<>();
        try {
          db = openEngine(path, dbOptions, cfOptions, columnNames, reopened);
          handles = reopened;
        } catch (RocksDBException e) {
          failures.retryLater("reopening the database failed: " + e.getMessage());
          return false;
        }
      } finally {
        lifecycle.writeLock().unlock();
      }
      failures.recovered();
      return true;
    }
  }

  /**
   * {@code failed}: the engine is in its error state, and closing it reports that error once more.
   */
  private void closeEngine(boolean failed) {
    if (db == null) return;
    // Handles before the database: RocksJava's required order.
    handles.values().forEach(ColumnFamilyHandle::close);
    try {
      db.closeE();
    } catch (RocksDBException e) {
      if (failed || failures.failing())
        log.debug("Closing data dir {} after failed writes: {}", path, e.getMessage());
      else log.warn("Closing data dir {} failed: {}", path, e.getMessage());
    }
    db = null;
  }

  public Path path() {
    return path;
  }

  public int schemaVersion() {
    return schemaVersion;
  }

  /**
   * How many times the engine has fsynced its write-ahead log since open (for tests and metrics).
   */
  public long walSyncCount() {
    Lock l = readLock("read statistics");
    try {
      return statistics.getTickerCount(TickerType.WAL_FILE_SYNCED);
    } finally {
      l.unlock();
    }
  }

  @Override
  public void close() {
    if (lifecycle.getReadHoldCount() > 0) {
      throw new IllegalStateException(
          "cannot close data dir " + path + " from inside a read or batch on it");
    }
    lifecycle.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      // Options after the database: RocksJava's required order.
      closeEngine(false);
      reads.close();
      syncedWrites.close();
      unsyncedWrites.close();
      cfOptions.close();
      dbOptions.close();
      statistics.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "KvStore[" + path + ", schema " + schemaVersion + "]";
  }

  // ---- engine calls for KvColumn and KvBatch ----

  WriteOptions options(Durability durability) {
    return durability == Durability.SYNCED ? syncedWrites : unsyncedWrites;
  }

  Lock readLock(String what) {
    Lock l = lifecycle.readLock();
    l.lock();
    if (closed) {
      l.unlock();
      throw new StorageException("data dir " + path + " is closed; cannot " + what);
    }
    if (db == null) {
      l.unlock();
      throw failures.stillFailing(what + " (the database is being reopened)");
    }
    return l;
  }

  /** The current handle of a column; only under {@link #readLock} (a reopen replaces handles). */
  ColumnFamilyHandle handle(String column) {
    return handles.get(column);
  }

  byte[] get(String column, byte[] key) throws RocksDBException {
    ColumnFamilyHandle h = handles.get(column);
    // The JNI get throws and catches a C++ exception for every absent key (~1 µs of unwinding);
    // keyMayExist says "absent" for most of them without one, and never for a present key. Most
    // reads on the signing path look for keys that are not there yet.
    // When it finds the value on the way (memtable, block cache), that is the answer.
    Holder<byte[]> found = new Holder<>();
    if (!db.keyMayExist(h, reads, key, found)) return null;
    return found.getValue() != null ? found.getValue() : db.get(h, reads, key);
  }

  /** A single put or delete: fails fast while writes are failing, retries recovery when due. */
  void write(String what, String column, byte[] key, byte[] value, Durability d) {
    recoverIfDue(what);
    Lock l = readLock(what);
    try {
      if (value == null) db.delete(handles.get(column), options(d), key);
      else db.put(handles.get(column), options(d), key, value);
      failures.succeeded();
    } catch (RocksDBException e) {
      throw failures.failed(what + " failed in data dir " + path, e);
    } finally {
      l.unlock();
    }
  }

  interface RawVisitor {
    boolean visit(byte[] key, byte[] value);
  }

  void scan(String column, KvRange range, RawVisitor visitor) throws RocksDBException {
    try (RocksIterator it = db.newIterator(handles.get(column), reads)) {
      byte[] seek = range.seekTarget();
      if (seek == null) it.seekToFirst();
      else it.seek(seek);
      while (it.isValid()) {
        byte[] k = it.key();
        if (!range.stillIn(k) || !visitor.visit(k, it.value())) break;
        it.next();
      }
      it.status();
    }
  }
}
