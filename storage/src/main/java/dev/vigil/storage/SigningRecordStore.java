package dev.vigil.storage;

import dev.vigil.storage.kv.Durability;
import dev.vigil.storage.kv.KvColumn;
import dev.vigil.storage.kv.KvRange;
import dev.vigil.storage.kv.KvStore;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;

/**
 * What this guardian has signed: one digest per message key, never replaced. {@link
 * #checkAndRecord} decides and persists in one step, with a synced write, so that a digest is on
 * disk before any signature over it exists.
 */
public final class SigningRecordStore {
  private static final int STRIPES = 64;

  private final KvColumn<MessageKey, Digest> records;
  // Check-then-write must be atomic per key; striping lets different keys proceed in parallel
  // (and their synced writes share one fsync through RocksDB's group commit).
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

  SigningRecordStore(KvStore kv) {
    this.records = kv.column(VigilDatabase.SIGNING_RECORDS, Codecs.MESSAGE_KEY, Codecs.DIGEST);
    for (int i = 0; i < STRIPES; i++) stripes[i] = new ReentrantLock();
  }

  /**
   * The outcome of {@link #checkAndRecord}: the decision and the digest on record afterwards (the
   * proposed one unless refused, the earlier one if refused).
   */
  public record Check(MessageKey key, Digest proposed, Digest recorded, SigningDecision decision) {}

  /** Decides whether {@code digest} may be signed for {@code key} and, if it is new, records it (synced). */
  public Check checkAndRecord(MessageKey key, Digest digest) {
    ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), STRIPES)];
    lock.lock();
    try {
      Optional<Digest> existing = records.get(key);
      SigningDecision decision = SigningDecision.decide(existing, digest);
      if (decision == SigningDecision.ALLOW_NEW) {
        records.put(key, digest, Durability.SYNCED);
      }
      return new Check(key, digest, existing.orElse(digest), decision);
    } finally {
      lock.unlock();
    }
  }

  public Optional<Digest> get(MessageKey key) {
    return records.get(key);
  }

  /** Walks every record (cost grows with the store). */
  public long count() {
    return records.count(KvRange.all());
  }

  /** Visits records in key order until {@code visitor} returns false. */
  public void forEach(BiPredicate<MessageKey, Digest> visitor) {
    records.forEach(KvRange.all(), visitor::test);
  }
}
