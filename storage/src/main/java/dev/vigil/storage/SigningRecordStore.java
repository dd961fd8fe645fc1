package dev.vigil.storage;

import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.storage.kv.Durability;
import dev.vigil.storage.kv.KvColumn;
import dev.vigil.storage.kv.KvRange;
import dev.vigil.storage.kv.KvStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;

/**
 * What this guardian has signed: one digest per message key, never replaced. {@link
 * #checkAndRecord} decides and persists in one step, with a synced write, so that a digest is on
 * disk before any signature over it exists; {@link #checkAndRecordAll} does the same for many keys
 * with one synced write (one fsync) for all of them.
 */
public final class SigningRecordStore {
  private static final int STRIPES = 64;

  private final KvStore kv;
  private final KvColumn<MessageId, Digest> records;
  // Check-then-write must be atomic per key; striping lets different keys proceed in parallel
  // (and their synced writes share one fsync through RocksDB's group commit).
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

  SigningRecordStore(KvStore kv) {
    this.kv = kv;
    this.records = kv.column(VigilDatabase.SIGNING_RECORDS, Codecs.MESSAGE_KEY, Codecs.DIGEST);
    for (int i = 0; i < STRIPES; i++) stripes[i] = new ReentrantLock();
  }

  /**
   * The outcome of {@link #checkAndRecord}: the decision and the digest on record afterwards (the
   * proposed one unless refused, the earlier one if refused).
   */
  public record Check(MessageId key, Digest proposed, Digest recorded, SigningDecision decision) {}

  /**
   * Decides whether {@code digest} may be signed for {@code key} and, if it is new, records it
   * (synced).
   */
  public Check checkAndRecord(MessageId key, Digest digest) {
    return checkAndRecordAll(List.of(new Proposal(key, digest))).getFirst();
  }

  /** One (message key, digest) pair asked for in {@link #checkAndRecordAll}. */
  public record Proposal(MessageId key, Digest digest) {}

  /**
   * {@link #checkAndRecord} for each proposal, in order, with every new record written in one
   * atomic synced batch: when this returns, all of them are on disk; when it throws, none of the
   * batch's records was written by this call (nothing may be signed). A key that appears twice is
   * decided against the earlier proposal, so a conflicting second digest is refused alone. Results
   * are in the order of the proposals.
   *
   * @throws StorageException a record could not be read or the batch could not be written
   */
  public List<Check> checkAndRecordAll(List<Proposal> proposals) {
    if (proposals.isEmpty()) return List.of();
    // Stripes in ascending order, so that two batches (or a batch and a single check) never wait
    // for each other in a cycle.
    TreeSet<Integer> needed = new TreeSet<>();
    for (Proposal p : proposals) needed.add(Math.floorMod(p.key().hashCode(), STRIPES));
    List<ReentrantLock> held = new ArrayList<>(needed.size());
    try {
      for (int i : needed) {
        stripes[i].lock();
        held.add(stripes[i]);
      }
      Map<MessageId, Digest> decided =
          new HashMap<>(); // the digest on record after each key's first proposal
      List<Check> out = new ArrayList<>(proposals.size());
      Map<MessageId, Digest> toWrite = new LinkedHashMap<>();
      for (Proposal p : proposals) {
        Digest earlier = decided.get(p.key());
        Optional<Digest> existing = earlier != null ? Optional.of(earlier) : records.get(p.key());
        SigningDecision decision = SigningDecision.decide(existing, p.digest());
        if (decision == SigningDecision.ALLOW_NEW) toWrite.put(p.key(), p.digest());
        decided.putIfAbsent(p.key(), existing.orElse(p.digest()));
        out.add(new Check(p.key(), p.digest(), existing.orElse(p.digest()), decision));
      }
      if (!toWrite.isEmpty()) {
        kv.write(Durability.SYNCED, batch -> toWrite.forEach((k, d) -> batch.put(records, k, d)));
      }
      return out;
    } finally {
      for (int i = held.size() - 1; i >= 0; i--) held.get(i).unlock();
    }
  }

  public Optional<Digest> get(MessageId key) {
    return records.get(key);
  }

  /** Walks every record (cost grows with the store). */
  public long count() {
    return records.count(KvRange.all());
  }

  /** Visits records in key order until {@code visitor} returns false. */
  public void forEach(BiPredicate<MessageId, Digest> visitor) {
    records.forEach(KvRange.all(), visitor::test);
  }
}
