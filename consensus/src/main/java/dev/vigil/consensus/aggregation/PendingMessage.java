package dev.vigil.consensus.aggregation;

import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import java.util.List;
import java.util.Map;

/**
 * One message without quorum yet, as an operator sees it ({@code vigil admin pending}).
 *
 * @param id the message
 * @param observedHere whether this guardian observed it itself (else only peers' signatures for it
 *     are held)
 * @param digest the digest observed here; null when not observed here
 * @param txHash the source transaction, when known
 * @param signedBy members whose verified signature for {@code digest} is held (this guardian's own
 *     included once it signed); for a message not observed here, every member with a signature
 * @param otherDigests members that signed another digest than the one observed here, by digest
 * @param ageMillis since this guardian first heard of it
 * @param retries re-broadcasts and re-read requests so far
 */
public record PendingMessage(
    MessageId id,
    boolean observedHere,
    Digest digest,
    Bytes32 txHash,
    List<Integer> signedBy,
    Map<Digest, List<Integer>> otherDigests,
    long ageMillis,
    int retries) {
  public PendingMessage {
    signedBy = List.copyOf(signedBy);
    otherDigests = Map.copyOf(otherDigests);
  }
}
