package dev.vigil.consensus.attestation;

import java.time.Instant;
import java.util.Optional;

/**
 * The committees a verifier knows: by index, which one is current, and when each earlier one was
 * replaced (an attestation by a replaced committee stays valid for an expiry window after that).
 */
public interface CommitteeSource {
  long currentIndex();

  Optional<Committee> committee(long index);

  /** When the committee at {@code index} was replaced by its successor; empty if it was not. */
  Optional<Instant> replacedAt(long index);
}
