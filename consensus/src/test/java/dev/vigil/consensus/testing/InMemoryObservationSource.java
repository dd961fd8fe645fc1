package dev.vigil.consensus.testing;

import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.ObservationSource;
import dev.vigil.signing.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link ObservationSource} over observations held in memory, standing in for a chain in tests
 * and benchmarks (the chain is not what they are about): {@link #add} plays the role of a
 * transaction becoming final.
 */
public final class InMemoryObservationSource implements ObservationSource {
  private record Key(int chain, Bytes32 txHash) {}

  private final Map<Key, List<Observation>> byTx = new ConcurrentHashMap<>();

  public void add(Observation o) {
    byTx.computeIfAbsent(new Key(o.chain(), o.txHash()), k -> new ArrayList<>()).add(o);
  }

  @Override
  public CompletionStage<List<Observation>> reobserve(int chain, Bytes32 txHash) {
    List<Observation> found = byTx.get(new Key(chain, txHash));
    return CompletableFuture.completedFuture(found == null ? List.of() : List.copyOf(found));
  }
}
