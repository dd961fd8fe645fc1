package dev.vigil.consensus.observation;

import dev.vigil.signing.Bytes32;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Re-reads a transaction from a source chain when a peer asks for it ({@code ObservationRequest}).
 * The node's chain observers implement it; the result holds only messages that are final now (an
 * empty list when the transaction is unknown, not final yet, or on an unwatched chain).
 */
public interface ObservationSource {
  CompletionStage<List<Observation>> reobserve(int chain, Bytes32 txHash);

  /** The latest block each watched chain has processed, for heartbeats. */
  default java.util.Map<Integer, Long> heights() {
    return java.util.Map.of();
  }
}
