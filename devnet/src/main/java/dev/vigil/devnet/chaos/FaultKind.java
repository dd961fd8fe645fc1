package dev.vigil.devnet.chaos;

import dev.vigil.testing.disk.DataDisks;

/** The kinds of fault a chaos scenario injects. */
public enum FaultKind {
  KILL,
  FREEZE,
  RPC,
  QUORUM_LOSS,
  PARTITION,
  /**
   * A guardian's data dir full (healed while it runs) or read-only (healed by stop, fsck, restart);
   * see {@link DataDisks}.
   */
  DISK
}
