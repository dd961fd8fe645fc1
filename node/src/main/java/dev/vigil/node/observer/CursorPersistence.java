package dev.vigil.node.observer;

import java.util.Optional;

/** Where an observer keeps, per chain and finality level, the last block it handed to consensus. */
public interface CursorPersistence {
  Optional<ChainReader.BlockRef> load(int chain, Finality.Level level);

  void save(int chain, Finality.Level level, ChainReader.BlockRef block);
}
