package dev.vigil.node.governance;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.attestation.DecodeResult;
import dev.vigil.consensus.governance.GovernanceRules;
import dev.vigil.consensus.governance.RotationResult;
import dev.vigil.storage.InstalledCommittee;
import dev.vigil.storage.StoredAttestation;
import dev.vigil.storage.VigilDatabase;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which committee a guardian serves when it starts: the one in its configuration, or a later one it
 * switched to by rotation (kept in its database), whichever has the higher index. An operator does
 * not edit files after a rotation: the node remembers it.
 */
public final class CommitteeState {
  private static final Logger log = LoggerFactory.getLogger(CommitteeState.class);

  private CommitteeState() {}

  /**
   * The history from the configured committee through every rotation installed since, in order.
   * Installed committees at or below the configured index are ignored (the operator configured a
   * later one); a gap in the installed indices ends the history at the gap.
   */
  /**
   * The configured committee and the rotations installed since (see {@link #installed}), and also
   * the rotations whose attestation is stored but whose committee was not written (a crash between
   * the two writes): each is installed now, in order.
   */
  public static CommitteeHistory load(
      Committee configured, VigilDatabase db, GovernanceRules rules, long nowMillis) {
    CommitteeHistory h = installed(configured, db);
    boolean found = true;
    while (found) {
      found = false;
      for (StoredAttestation sa :
          db.attestations().listEmitter(rules.emitterChain(), rules.emitterAddress(), 0, 10_000)) {
        if (!(AttestationCodec.decode(sa.bytes()) instanceof DecodeResult.Ok<Attestation> ok))
          continue;
        if (!(rules.checkRotation(ok.value(), h.currentIndex())
            instanceof RotationResult.Ok rotation)) continue;
        Committee next = rotation.rotation().toCommittee();
        db.committees()
            .put(new InstalledCommittee(next.index(), next.members(), nowMillis, sa.bytes()));
        log.warn(
            "committee {} was attested ({}) but not installed here (the node stopped in between): installed now",
            next.index(),
            sa.key());
        h = h.rotate(next, Instant.ofEpochMilli(nowMillis));
        found = true;
        break;
      }
    }
    return h;
  }

  private static CommitteeHistory installed(Committee configured, VigilDatabase db) {
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
