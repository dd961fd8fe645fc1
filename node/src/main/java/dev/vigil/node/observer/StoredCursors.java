package dev.vigil.node.observer;

import dev.vigil.signing.Hex;
import dev.vigil.storage.ChainCursor;
import dev.vigil.storage.CursorStore;
import java.util.Optional;

/** Observer cursors in the node's database: one row per chain and finality level. */
public final class StoredCursors implements CursorPersistence {
  private final CursorStore store;

  public StoredCursors(CursorStore store) {
    this.store = store;
  }

  static long key(int chain, Finality.Level level) {
    return (long) chain * Finality.Level.values().length + level.ordinal();
  }

  @Override
  public Optional<ChainReader.BlockRef> load(int chain, Finality.Level level) {
    return store
        .get(key(chain, level))
        .map(c -> new ChainReader.BlockRef(c.blockNumber(), Hex.encode0x(c.blockHash()), 0, null));
  }

  @Override
  public void save(int chain, Finality.Level level, ChainReader.BlockRef block) {
    store.put(key(chain, level), new ChainCursor(block.number(), Hex.decode(block.hash())));
  }
}
