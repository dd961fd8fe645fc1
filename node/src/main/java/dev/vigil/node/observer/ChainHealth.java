package dev.vigil.node.observer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one chain's observer last saw, readable from any thread (status API, readiness, metrics,
 * heartbeats) without asking the actor.
 */
public final class ChainHealth {
  /** A snapshot. */
  public record Snapshot(
      int chain,
      String name,
      long head,
      long safe,
      long finalized,
      long processedFinalized,
      long observations,
      long rpcErrors,
      int consecutiveFailures,
      String lastError,
      long lastSuccessMillis,
      long reorgsBelowFinality,
      long oversizedPayloads) {}

  private final int chain;
  private final String name;
  private final AtomicReference<Snapshot> current;
  private final AtomicLong rpcErrors = new AtomicLong();
  private final AtomicLong observations = new AtomicLong();
  private final AtomicLong rereadsShed = new AtomicLong();

  public ChainHealth(int chain, String name) {
    this.chain = chain;
    this.name = name;
    this.current =
        new AtomicReference<>(new Snapshot(chain, name, -1, -1, -1, -1, 0, 0, 0, null, 0, 0, 0));
  }

  /** Peers' re-read requests shed because the chain's re-read queue was full. */
  public long rereadsShed() {
    return rereadsShed.get();
  }

  void rereadShed() {
    rereadsShed.incrementAndGet();
  }

  public Snapshot snapshot() {
    return current.get();
  }

  /** Ready when the last poll succeeded within {@code maxAgeMillis}. */
  public boolean ready(long nowMillis, long maxAgeMillis) {
    Snapshot s = current.get();
    return s.consecutiveFailures() == 0
        && s.lastSuccessMillis() > 0
        && nowMillis - s.lastSuccessMillis() <= maxAgeMillis;
  }

  void succeeded(
      Finality.Heights h,
      long processedFinalized,
      int newObservations,
      long reorgs,
      long oversized,
      long nowMillis) {
    long obs = observations.addAndGet(newObservations);
    current.set(
        new Snapshot(
            chain,
            name,
            h.head(),
            h.safe(),
            h.finalized(),
            processedFinalized,
            obs,
            rpcErrors.get(),
            0,
            null,
            nowMillis,
            reorgs,
            oversized));
  }

  void failed(String error) {
    long errs = rpcErrors.incrementAndGet();
    current.updateAndGet(
        s ->
            new Snapshot(
                chain,
                name,
                s.head(),
                s.safe(),
                s.finalized(),
                s.processedFinalized(),
                s.observations(),
                errs,
                s.consecutiveFailures() + 1,
                error,
                s.lastSuccessMillis(),
                s.reorgsBelowFinality(),
                s.oversizedPayloads()));
  }
}
