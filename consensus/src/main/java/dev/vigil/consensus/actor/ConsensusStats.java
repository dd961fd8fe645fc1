package dev.vigil.consensus.actor;

import dev.vigil.consensus.aggregation.AggregationStats;
import dev.vigil.consensus.wire.PeerMessage;
import java.util.Map;

/**
 * A snapshot of what one guardian's consensus actor has done and dropped.
 *
 * @param aggregation the state machine's counters (attestations, per-member participation and
 *     misbehaviour)
 * @param undecodableMessages peer messages that did not decode at all
 * @param undecodableItems entries of decoded batches that did not decode (bad body, bad signature
 *     shape)
 * @param badHeartbeats heartbeats with a wrong committee, index or signature, or stale (not newer
 *     than the member's last one, or more than a minute off this node's clock)
 * @param requestsServed ObservationRequests answered by re-reading the chain
 * @param requestsThrottled ObservationRequests ignored because the re-read budget (overall or of
 *     the requesting member) or the signature-check budget was spent
 * @param requestsRefused ObservationRequests refused: unsigned, signed by another than the member
 *     they name, or more than a minute off this node's clock
 * @param batchesUnauthenticated batches of signatures dropped whole, charged to no member: their
 *     signature is not the member's they name, or they name another committee or no member
 * @param batchesShed batches dropped unchecked because too many were being authenticated already
 * @param evidenceStored equivocation evidence records written
 * @param storeFailures blocking operations that failed (logged)
 * @param peers peers currently reachable through the Receptionist
 * @param heartbeats the last valid heartbeat of each member, by signer index
 */
public record ConsensusStats(
    AggregationStats aggregation,
    long undecodableMessages,
    long undecodableItems,
    long badHeartbeats,
    long requestsServed,
    long requestsThrottled,
    long requestsRefused,
    long batchesUnauthenticated,
    long batchesShed,
    long evidenceStored,
    long storeFailures,
    int peers,
    Map<Integer, PeerMessage.HeartbeatInfo> heartbeats) {
  public ConsensusStats {
    heartbeats = Map.copyOf(heartbeats);
  }

  /** Without request and batch counts (the shape callers built before they were). */
  public ConsensusStats(
      AggregationStats aggregation,
      long undecodableMessages,
      long undecodableItems,
      long badHeartbeats,
      long requestsServed,
      long evidenceStored,
      long storeFailures,
      int peers,
      Map<Integer, PeerMessage.HeartbeatInfo> heartbeats) {
    this(
        aggregation,
        undecodableMessages,
        undecodableItems,
        badHeartbeats,
        requestsServed,
        0,
        0,
        0,
        0,
        evidenceStored,
        storeFailures,
        peers,
        heartbeats);
  }
}
