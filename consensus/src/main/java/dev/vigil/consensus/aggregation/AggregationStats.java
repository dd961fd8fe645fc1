package dev.vigil.consensus.aggregation;

import java.util.List;
import java.util.Map;

/**
 * What the aggregation state machine counted so far. Per-member lists are indexed by signer index;
 * they are the participation and misbehaviour record of each guardian as this node saw it.
 *
 * @param attested attestations formed here from a local quorum
 * @param attestedFromPeers valid complete attestations received from peers (or found in the store)
 * @param gaveUp own observations given up without quorum
 * @param pendingLocal observed here, no quorum yet
 * @param pendingUnseen messages for which only peers' signatures are held
 * @param wrongCommittee signatures or attestations for a committee index that is not current
 * @param notMember signatures that claim an index outside the committee
 * @param invalidSignatures signatures that recover to no member
 * @param duplicates signatures received again (retransmissions)
 * @param late valid-looking signatures for messages already attested (not verified: not needed)
 * @param unseenCapDropped signatures dropped because their signer held too many unseen messages
 * @param invalidAttestations complete attestations from peers that failed verification
 * @param conflictsWithLocal peers' signatures or attestations for another digest than the local one
 * @param signRefused local observations the double-sign guard refused to sign
 * @param acceptedBySigner verified signatures accepted, per member
 * @param impersonationsBySigner real signatures of other members that member i sent as its own (a
 *     replay of their public signatures); charged to i, the authenticated sender
 * @param equivocationsBySigner conflicting digests signed by a member for one message identity
 * @param capDroppedBySigner signatures dropped by the unseen caps (messages or bytes), per member
 * @param invalidBySigner signatures member i sent that recover to no member (i is the batch's
 *     authenticated sender: batches not signed by the member they name are dropped before this)
 * @param suspectDroppedBySigner signatures under member i's index dropped unchecked while i was
 *     suspect (too many of its signatures had turned out invalid)
 * @param unseenBySigner messages not observed here for which member i's signature is held or being
 *     checked now (at most max-unseen-per-peer)
 * @param unseenBytesBySigner bytes of those, at a fixed size per signature since signatures travel
 *     without bodies (at most max-unseen-bytes-per-peer)
 * @param unseenPeakBySigner the most such messages member i ever had at once
 * @param suspects members suspect now
 * @param attestedByChain attestations formed here from a quorum, by emitter chain (they sum to
 *     {@code attested})
 * @param attestedFromPeersByChain attestations received whole from peers, by emitter chain (they
 *     sum to {@code attestedFromPeers})
 */
public record AggregationStats(
    long attested,
    long attestedFromPeers,
    long gaveUp,
    long pendingLocal,
    long pendingUnseen,
    long wrongCommittee,
    long notMember,
    long invalidSignatures,
    long duplicates,
    long late,
    long unseenCapDropped,
    long invalidAttestations,
    long conflictsWithLocal,
    long signRefused,
    List<Long> acceptedBySigner,
    List<Long> impersonationsBySigner,
    List<Long> equivocationsBySigner,
    List<Long> capDroppedBySigner,
    List<Long> invalidBySigner,
    List<Long> suspectDroppedBySigner,
    List<Long> unseenBySigner,
    List<Long> unseenBytesBySigner,
    List<Long> unseenPeakBySigner,
    List<Integer> suspects,
    Map<Integer, Long> attestedByChain,
    Map<Integer, Long> attestedFromPeersByChain) {

  public AggregationStats {
    acceptedBySigner = List.copyOf(acceptedBySigner);
    impersonationsBySigner = List.copyOf(impersonationsBySigner);
    equivocationsBySigner = List.copyOf(equivocationsBySigner);
    capDroppedBySigner = List.copyOf(capDroppedBySigner);
    invalidBySigner = List.copyOf(invalidBySigner);
    suspectDroppedBySigner = List.copyOf(suspectDroppedBySigner);
    unseenBySigner = List.copyOf(unseenBySigner);
    unseenBytesBySigner = List.copyOf(unseenBytesBySigner);
    unseenPeakBySigner = List.copyOf(unseenPeakBySigner);
    suspects = List.copyOf(suspects);
    attestedByChain = Map.copyOf(attestedByChain);
    attestedFromPeersByChain = Map.copyOf(attestedFromPeersByChain);
  }

  /**
   * Without the flood counters (per-member lists of zeros) and the per-chain counts, the shape
   * callers built before.
   */
  public AggregationStats(
      long attested,
      long attestedFromPeers,
      long gaveUp,
      long pendingLocal,
      long pendingUnseen,
      long wrongCommittee,
      long notMember,
      long invalidSignatures,
      long duplicates,
      long late,
      long unseenCapDropped,
      long invalidAttestations,
      long conflictsWithLocal,
      long signRefused,
      List<Long> acceptedBySigner,
      List<Long> impersonationsBySigner,
      List<Long> equivocationsBySigner,
      List<Long> capDroppedBySigner) {
    this(
        attested,
        attestedFromPeers,
        gaveUp,
        pendingLocal,
        pendingUnseen,
        wrongCommittee,
        notMember,
        invalidSignatures,
        duplicates,
        late,
        unseenCapDropped,
        invalidAttestations,
        conflictsWithLocal,
        signRefused,
        acceptedBySigner,
        impersonationsBySigner,
        equivocationsBySigner,
        capDroppedBySigner,
        zeros(acceptedBySigner.size()),
        zeros(acceptedBySigner.size()),
        zeros(acceptedBySigner.size()),
        zeros(acceptedBySigner.size()),
        zeros(acceptedBySigner.size()),
        List.of(),
        Map.of(),
        Map.of());
  }

  private static List<Long> zeros(int n) {
    return java.util.Collections.nCopies(n, 0L);
  }

  /** Every attestation this node holds, formed here or received. */
  public long attestationsTotal() {
    return attested + attestedFromPeers;
  }
}
