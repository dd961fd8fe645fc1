package dev.vigil.node.governance;

import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.storage.InstalledCommittee;
import dev.vigil.storage.VigilDatabase;
import java.time.Instant;
import java.util.List;

/**
 * Which committee a guardian serves when it starts: the one in its configuration, or a later one it
 * switched to by rotation (kept in its database), whichever has the higher index. An operator does
 * not edit files after a rotation: the node remembers it.
 */
public final class CommitteeState {
  private CommitteeState() {}

  /**
   * The history from the configured committee through every rotation installed since, in order.
   * Installed committees at or below the configured index are ignored (the operator configured a
   * later one); a gap in the installed indices ends the history at the gap.
   */
  public static CommitteeHistory load(Committee configured, VigilDatabase db) {
    CommitteeHistory h = CommitteeHistory.of(configured);
    List<InstalledCommittee> installed = db.committees().all();
    for (InstalledCommittee c : installed) {
      if (c.index() <= h.currentIndex()) continue;
      if (c.index() != h.currentIndex() + 1) break;
      h =
          h.rotate(
              new Committee(c.index(), c.members()), Instant.ofEpochMilli(c.installedAtMillis()));
    }
    return h;
  }
}
