package dev.vigil.node.config;

import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.signing.Address;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The committee the node starts with (index and members in signer-index order) and how long a
 * replaced committee's attestations stay valid.
 */
public record CommitteeSettings(long index, List<Address> members, Duration expiryWindow) {
  public CommitteeSettings {
    members = List.copyOf(members);
    Objects.requireNonNull(expiryWindow, "expiryWindow");
  }

  /** As the consensus type (which checks 1..255 members and no duplicates again). */
  public Committee committee() {
    return new Committee(index, members);
  }

  public CommitteeHistory history() {
    return CommitteeHistory.of(committee());
  }

  public int quorum() {
    return Committee.quorum(members.size());
  }
}
