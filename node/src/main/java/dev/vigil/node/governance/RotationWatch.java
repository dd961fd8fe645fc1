package dev.vigil.node.governance;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.governance.CommitteeRotation;
import dev.vigil.consensus.governance.GovernanceRules;
import dev.vigil.consensus.governance.RotationResult;
import dev.vigil.signing.Address;
import dev.vigil.storage.InstalledCommittee;
import dev.vigil.storage.VigilDatabase;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the attestations this guardian holds (formed here or received whole, so verified) for a
 * committee rotation of its current committee. The first one it sees is written to the database
 * with a synced write, then reported once: the node switches to the new committee by starting again
 * on it (or stops signing, if this guardian is not in it).
 */
public final class RotationWatch {
  private static final Logger log = LoggerFactory.getLogger(RotationWatch.class);

  /** A rotation that took effect here. */
  public record Rotated(Committee next, boolean stillMember) {}

  private final GovernanceRules rules;
  private final Committee current;
  private final Address self;
  private final VigilDatabase db;
  private final LongSupplier clock;
  private final Consumer<Rotated> onRotated;
  private final AtomicBoolean fired = new AtomicBoolean();

  public RotationWatch(
      GovernanceRules rules,
      Committee current,
      Address self,
      VigilDatabase db,
      LongSupplier clock,
      Consumer<Rotated> onRotated) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.current = Objects.requireNonNull(current, "current");
    this.self = Objects.requireNonNull(self, "self");
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.onRotated = Objects.requireNonNull(onRotated, "onRotated");
  }

  /** An attestation this guardian holds (its signatures verified by consensus already). */
  public void attested(Attestation a) {
    if (fired.get() || !rules.isGovernance(a.body())) return;
    RotationResult r = rules.checkRotation(a, current.index());
    if (!(r instanceof RotationResult.Ok ok)) {
      log.warn(
          "governance attestation {} is not a rotation of committee {} this guardian can apply: {}",
          a.messageId(),
          current.index(),
          r);
      return;
    }
    if (!fired.compareAndSet(false, true)) return;
    CommitteeRotation rotation = ok.rotation();
    Committee next = rotation.toCommittee();
    db.committees()
        .put(
            new InstalledCommittee(
                next.index(), next.members(), clock.getAsLong(), AttestationCodec.encode(a)));
    boolean member = next.indexOf(self).isPresent();
    log.info(
        "committee rotation attested ({}, digest {}): committee {} ({} members) is replaced by committee {} ({} members, quorum {}): {}; "
            + "this guardian {}",
        a.messageId(),
        a.digest(),
        current.index(),
        current.size(),
        next.index(),
        next.size(),
        next.quorum(),
        next.members(),
        member
            ? "is member " + next.indexOf(self).getAsInt() + " of it and switches to it now"
            : "is NOT a member of it: it stops signing");
    onRotated.accept(new Rotated(next, member));
  }
}
