package dev.vigil.storage;

import dev.vigil.signing.Address;
import dev.vigil.signing.MessageId;
import dev.vigil.storage.Codecs.EvidenceKey;
import dev.vigil.storage.kv.Durability;
import dev.vigil.storage.kv.KvCodecs;
import dev.vigil.storage.kv.KvColumn;
import dev.vigil.storage.kv.KvRange;
import dev.vigil.storage.kv.KvStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Equivocation evidence (conflicting signed observations, opaque bytes) per message and signer,
 * append-only. Identical evidence is kept once, and at most {@link #MAX_PER_SIGNER} pieces per
 * message and signer, so a misbehaving signer cannot fill the disk. Synced: this is what slashing
 * relies on, and it is rare.
 */
public final class EvidenceStore {
  public static final int MAX_PER_SIGNER = 16;
  private static final Logger log = LoggerFactory.getLogger(EvidenceStore.class);

  private final KvColumn<EvidenceKey, byte[]> evidence;
  private final ReentrantLock appends = new ReentrantLock();

  EvidenceStore(KvStore kv) {
    this.evidence = kv.column(VigilDatabase.EVIDENCE, Codecs.EVIDENCE_KEY, KvCodecs.bytes());
  }

  /**
   * Keeps {@code bytes} as evidence against {@code signer} for {@code key}. Returns false when the
   * same bytes are already kept or the per-signer cap is reached.
   */
  public boolean append(MessageId key, Address signer, byte[] bytes) {
    if (bytes == null || bytes.length == 0)
      throw new IllegalArgumentException("evidence for " + key + " is empty");
    appends.lock();
    try {
      List<EvidenceRecord> existing = get(key, signer);
      for (EvidenceRecord r : existing) {
        if (Arrays.equals(r.evidence(), bytes)) return false;
      }
      if (existing.size() >= MAX_PER_SIGNER) {
        log.warn(
            "Evidence against {} for {} is capped at {} pieces; dropping another",
            signer,
            key,
            MAX_PER_SIGNER);
        return false;
      }
      evidence.put(new EvidenceKey(key, signer, existing.size()), bytes.clone(), Durability.SYNCED);
      return true;
    } finally {
      appends.unlock();
    }
  }

  /**
   * Replaces the bytes of a kept piece with {@code bytes} (the same evidence made more complete,
   * e.g. with a body that was missing), if the piece still holds what {@code record} read. Returns
   * false when it changed meanwhile or is gone. Synced, as {@link #append}.
   */
  public boolean replace(EvidenceRecord record, byte[] bytes) {
    if (bytes == null || bytes.length == 0)
      throw new IllegalArgumentException("evidence for " + record.key() + " is empty");
    appends.lock();
    try {
      EvidenceKey k = new EvidenceKey(record.key(), record.signer(), record.index());
      var current = evidence.get(k);
      if (current.isEmpty() || !Arrays.equals(current.get(), record.evidence())) return false;
      evidence.put(k, bytes.clone(), Durability.SYNCED);
      return true;
    } finally {
      appends.unlock();
    }
  }

  /** Evidence against one signer for one message, in the order it was kept. */
  public List<EvidenceRecord> get(MessageId key, Address signer) {
    return collect(
        KvRange.prefix(Codecs.concat(key.encode(), signer.toBytes())), Integer.MAX_VALUE);
  }

  /** Evidence against any signer for one message. */
  public List<EvidenceRecord> forMessage(MessageId key) {
    return collect(KvRange.prefix(key.encode()), Integer.MAX_VALUE);
  }

  /** Visits all evidence in key order until {@code visitor} returns false. */
  public void forEach(Predicate<EvidenceRecord> visitor) {
    evidence.forEach(
        KvRange.all(),
        (k, v) -> visitor.test(new EvidenceRecord(k.key(), k.signer(), k.index(), v)));
  }

  public long count() {
    return evidence.count(KvRange.all());
  }

  private List<EvidenceRecord> collect(KvRange range, int limit) {
    List<EvidenceRecord> out = new ArrayList<>();
    evidence.forEach(
        range,
        (k, v) -> {
          out.add(new EvidenceRecord(k.key(), k.signer(), k.index(), v));
          return out.size() < limit;
        });
    return out;
  }
}
