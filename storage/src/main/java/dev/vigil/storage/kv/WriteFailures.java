package dev.vigil.storage.kv;

import dev.vigil.storage.StorageException;
import dev.vigil.storage.WriteHealth;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data dir's write-failure episodes: the first failed write of an episode is logged once at
 * ERROR, later ones fail fast until the retry backoff has passed, and recovery is logged at INFO.
 */
final class WriteFailures {
  private static final Logger log = LoggerFactory.getLogger(KvStore.class);
  static final long FIRST_RETRY_MS = 200;
  static final long MAX_RETRY_MS = 5_000;
  static final String PROBE = ".vigil-write-probe";

  private final Path path;
  private volatile boolean failing;
  private String cause = "";
  private long sinceMillis;
  private long sinceNanos;
  private long inEpisode;
  private long total;
  private long recoveries;
  private long retryDelayMs;
  private long nextAttemptNanos;

  WriteFailures(Path path) {
    this.path = path;
  }

  boolean failing() {
    return failing;
  }

  synchronized boolean due() {
    return failing && System.nanoTime() - nextAttemptNanos >= 0;
  }

  synchronized WriteHealth health() {
    return new WriteHealth(
        !failing,
        failing ? cause : "",
        failing ? sinceMillis : 0,
        failing ? inEpisode : 0,
        total,
        recoveries);
  }

  void succeeded() {
    if (failing) recovered(); // a write went through without a reopen (the engine had not stopped)
  }

  /** A write failed: record it and return the exception to throw. */
  StorageException failed(String what, RocksDBException e) {
    String why = describe(e);
    boolean disk = isDiskError(e);
    synchronized (this) {
      total++;
      if (disk) {
        if (!failing) {
          failing = true;
          sinceMillis = System.currentTimeMillis();
          sinceNanos = System.nanoTime();
          inEpisode = 0;
          retryDelayMs = FIRST_RETRY_MS;
          nextAttemptNanos = sinceNanos + retryDelayMs * 1_000_000;
          log.error(
              "Writes to data dir {} fail: {}. Reads still work; every write fails until the disk takes writes again, "
                  + "then the database reopens itself (further failures are logged at DEBUG until then)",
              path,
              why);
        }
        cause = why;
        inEpisode++;
      }
    }
    if (disk) log.debug("data dir {}: {}: {}", path, what, why);
    return new StorageException(what + ": " + why, e);
  }

  /** The exception for a write refused without trying, while the data dir is known to fail. */
  synchronized StorageException stillFailing(String what) {
    total++;
    inEpisode++;
    long retryIn = Math.max(0, (nextAttemptNanos - System.nanoTime()) / 1_000_000);
    return new StorageException(
        "cannot "
            + what
            + ": writes to data dir "
            + path
            + " have been failing for "
            + (System.nanoTime() - sinceNanos) / 1_000_000
            + " ms: "
            + cause
            + " (next retry in "
            + retryIn
            + " ms)");
  }

  /** A recovery attempt found the dir still not writable. */
  synchronized void retryLater(String why) {
    if (!why.equals(cause)) log.debug("data dir {} still not writable: {}", path, why);
    cause = why;
    retryDelayMs = Math.min(MAX_RETRY_MS, retryDelayMs * 2);
    nextAttemptNanos = System.nanoTime() + retryDelayMs * 1_000_000;
  }

  synchronized void recovered() {
    if (!failing) return;
    failing = false;
    recoveries++;
    log.info(
        "Data dir {} takes writes again after {} ms ({} writes failed meanwhile); the database was reopened and nothing "
            + "written before is lost",
        path,
        (System.nanoTime() - sinceNanos) / 1_000_000,
        inEpisode);
  }

  /**
   * Writes, fsyncs and deletes a small file in the dir: null if that worked, else the cause.
   * RocksDB is only reopened once this works, so a dir that is still full or read-only keeps the
   * old engine (which still serves reads).
   */
  static String probe(Path dir) {
    Path p = dir.resolve(PROBE);
    try {
      try (FileChannel ch =
          FileChannel.open(
              p,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        while (b.hasRemaining()) ch.write(b);
        ch.force(true);
      }
      Files.delete(p);
      return null;
    } catch (IOException e) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // read-only: nothing was created
      }
      return "data dir is still not writable: "
          + (e.getMessage() == null ? e.toString() : e.getMessage())
          + " ("
          + e.getClass().getSimpleName()
          + ")";
    }
  }

  /** An I/O failure of the disk (full, read-only, device error), as opposed to a bad request. */
  static boolean isDiskError(RocksDBException e) {
    Status s = e.getStatus();
    String m = String.valueOf(e.getMessage());
    if (s == null) return true;
    return s.getCode() == Status.Code.IOError
        || m.contains("No space left")
        || m.contains("Read-only file system");
  }

  /** The engine's message, with the plain OS cause first when it names one. */
  static String describe(RocksDBException e) {
    String m = String.valueOf(e.getMessage());
    for (String known :
        new String[] {"No space left on device", "Read-only file system", "Input/output error"}) {
      if (m.contains(known) && !m.startsWith(known)) return known + " (" + m + ")";
    }
    return m;
  }
}
