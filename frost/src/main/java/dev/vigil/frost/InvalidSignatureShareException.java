package dev.vigil.frost;

import java.util.List;

/**
 * Aggregation found signature shares that do not verify against their participants' verifying
 * shares: {@link #participants()} names the culprits, so that the coordinator can exclude them.
 */
public final class InvalidSignatureShareException extends RuntimeException {
  private final List<Integer> participants;

  InvalidSignatureShareException(List<Integer> participants) {
    super(
        (participants.size() == 1
                ? "the signature share of participant " + participants.get(0) + " does not"
                : "the signature shares of participants " + participants + " do not")
            + " verify against the participant's verifying share and commitment");
    this.participants = List.copyOf(participants);
  }

  /** The identifiers whose shares are invalid, ascending. */
  public List<Integer> participants() {
    return participants;
  }
}
