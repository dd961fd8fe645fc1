package dev.vigil.consensus.aggregation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the aggregator counts that no rule reads back: outcomes, drops and each member's record (see
 * {@link AggregationStats} for the meaning of each). The quota and the budget count their own.
 */
final class Counters {
  long attested,
      attestedFromPeers,
      gaveUp,
      wrongCommittee,
      notMember,
      invalidSignatures,
      duplicates,
      late,
      invalidAttestations,
      conflictsWithLocal,
      signRefused;
  final long[] acceptedBySigner, impersonationsBySigner, equivocationsBySigner, invalidBySigner;

  /** Per emitter chain: attestations formed here [0] and received whole from peers [1]. */
  private final SortedMap<Integer, long[]> attestedByChain = new TreeMap<>();

  Counters(int n) {
    this.acceptedBySigner = new long[n];
    this.impersonationsBySigner = new long[n];
    this.equivocationsBySigner = new long[n];
    this.invalidBySigner = new long[n];
  }

  void attestedHere(int emitterChain) {
    attested++;
    attestedByChain.computeIfAbsent(emitterChain, c -> new long[2])[0]++;
  }

  void attestedByPeers(int emitterChain) {
    attestedFromPeers++;
    attestedByChain.computeIfAbsent(emitterChain, c -> new long[2])[1]++;
  }

  AggregationStats stats(
      long pendingLocal, long pendingUnseen, UnseenQuota unseen, InvalidSignatureBudget budget) {
    return new AggregationStats(
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
        unseen.dropped(),
        invalidAttestations,
        conflictsWithLocal,
        signRefused,
        boxed(acceptedBySigner),
        boxed(impersonationsBySigner),
        boxed(equivocationsBySigner),
        unseen.droppedBySigner(),
        boxed(invalidBySigner),
        budget.droppedBySigner(),
        unseen.messagesBySigner(),
        unseen.bytesBySigner(),
        unseen.peakBySigner(),
        budget.suspects(),
        byChain(0),
        byChain(1));
  }

  private Map<Integer, Long> byChain(int origin) {
    Map<Integer, Long> out = new HashMap<>();
    attestedByChain.forEach(
        (chain, counts) -> {
          if (counts[origin] > 0) out.put(chain, counts[origin]);
        });
    return out;
  }

  private static List<Long> boxed(long[] a) {
    return Arrays.stream(a).boxed().toList();
  }
}
