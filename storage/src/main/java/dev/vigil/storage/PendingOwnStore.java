package dev.vigil.storage;

import dev.vigil.signing.MessageId;
import dev.vigil.storage.kv.KvBatch;
import dev.vigil.storage.kv.KvCodecs;
import dev.vigil.storage.kv.KvColumn;
import dev.vigil.storage.kv.KvRange;
import dev.vigil.storage.kv.KvStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * This guardian's own observations that have no quorum yet, as opaque bytes, so a restarted node
 * can re-broadcast them. Unsynced: the signing record, not this, is what keeps signing safe.
 */
public final class PendingOwnStore {
  private final KvColumn<MessageId, byte[]> pending;

  PendingOwnStore(KvStore kv) {
    this.pending = kv.column(VigilDatabase.PENDING_OWN, Codecs.MESSAGE_KEY, KvCodecs.bytes());
  }

  public void put(MessageId key, byte[] observation) {
    pending.put(key, observation);
  }

  /** Adds the put to a batch (see {@link VigilDatabase#write}). */
  public void put(KvBatch batch, MessageId key, byte[] observation) {
    batch.put(pending, key, observation);
  }

  public Optional<byte[]> get(MessageId key) {
    return pending.get(key);
  }

  public void remove(MessageId key) {
    pending.delete(key);
  }

  public void remove(KvBatch batch, MessageId key) {
    batch.delete(pending, key);
  }

  /** Every pending observation in key order, for re-broadcast after a restart. */
  public List<PendingObservation> all() {
    List<PendingObservation> out = new ArrayList<>();
    pending.forEach(KvRange.all(), (k, v) -> out.add(new PendingObservation(k, v)));
    return out;
  }

  public long count() {
    return pending.count(KvRange.all());
  }
}
