package dev.vigil.storage;

import dev.vigil.storage.kv.KvBatch;
import dev.vigil.storage.kv.KvColumn;
import dev.vigil.storage.kv.KvRange;
import dev.vigil.storage.kv.KvStore;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Per chain (by a non-negative chain id), the last block its observer processed. Unsynced: a cursor
 * lost to a power failure only makes the observer re-read blocks, which the signing records make
 * harmless.
 */
public final class CursorStore {
  private final KvColumn<Long, ChainCursor> cursors;

  CursorStore(KvStore kv) {
    this.cursors = kv.column(VigilDatabase.CURSORS, Codecs.CHAIN_ID, Codecs.CURSOR);
  }

  public Optional<ChainCursor> get(long chainId) {
    return cursors.get(chainId);
  }

  public void put(long chainId, ChainCursor cursor) {
    cursors.put(chainId, cursor);
  }

  public void put(KvBatch batch, long chainId, ChainCursor cursor) {
    batch.put(cursors, chainId, cursor);
  }

  public void remove(long chainId) {
    cursors.delete(chainId);
  }

  /** Every chain's cursor, by chain id. */
  public Map<Long, ChainCursor> all() {
    Map<Long, ChainCursor> out = new TreeMap<>();
    cursors.forEach(
        KvRange.all(),
        (k, v) -> {
          out.put(k, v);
          return true;
        });
    return out;
  }
}
