package dev.vigil.consensus.actor;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.signing.MessageId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The store writes of the consensus, queued between flushes and run one round after another on the
 * blocking dispatcher; and the observers waiting for their observations to be durable: while the
 * own signature is being made, then until the next round has completed. Not thread-safe: the
 * actor's (only the rounds themselves run elsewhere).
 */
final class WritePipeline {
  private final ConsensusStore store;
  private final Executor blocking;
  private List<Map.Entry<Observation, SignedObservation>> pending = new ArrayList<>();
  private List<Attestation> attestations = new ArrayList<>();
  private List<MessageId> removals = new ArrayList<>();
  private final Map<MessageId, List<CompletableFuture<Void>>> heldWhenSigned = new HashMap<>();
  private List<CompletableFuture<Void>> heldAfterNextWrite = new ArrayList<>();
  private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);

  /** One round of writes, started; {@code done} completes when it is on disk. */
  record Round(
      List<Map.Entry<Observation, SignedObservation>> pending,
      List<Attestation> attestations,
      List<MessageId> removals,
      CompletableFuture<Void> done) {
    String what() {
      return "store " + attestations.size() + " attestations, " + pending.size() + " pending";
    }
  }

  WritePipeline(ConsensusStore store, Executor blocking) {
    this.store = store;
    this.blocking = blocking;
  }

  /** An own observation still waiting for quorum: recorded so that a restart re-broadcasts it. */
  void addPending(Observation observation, SignedObservation own) {
    pending.add(Map.entry(observation, own));
  }

  void addAttestation(Attestation a) {
    attestations.add(a);
  }

  /** An own observation given up: its pending record goes. */
  void addRemoval(MessageId id) {
    removals.add(id);
  }

  /** Records and attestations queued for the next round. */
  int queued() {
    return pending.size() + attestations.size();
  }

  /** Whether observers wait for this message's own signature. */
  boolean isSigning(MessageId id) {
    return heldWhenSigned.containsKey(id);
  }

  /**
   * {@code held} completes once the message's own signature is made and the next round after it is
   * written.
   */
  void holdUntilSigned(MessageId id, CompletableFuture<Void> held) {
    heldWhenSigned.computeIfAbsent(id, k -> new ArrayList<>(1)).add(held);
  }

  /** {@code held} completes once the next round is written. */
  void holdUntilNextWrite(CompletableFuture<Void> held) {
    heldAfterNextWrite.add(held);
  }

  /**
   * The own signature's outcome is known: its waiters are released by the next round. Whether there
   * were any.
   */
  boolean signed(MessageId id) {
    List<CompletableFuture<Void>> held = heldWhenSigned.remove(id);
    if (held == null) return false;
    heldAfterNextWrite.addAll(held);
    return true;
  }

  /** Signing failed: its waiters fail too (the observer hands the observation over again). */
  void signingFailed(MessageId id, Throwable error) {
    List<CompletableFuture<Void>> held = heldWhenSigned.remove(id);
    if (held != null) held.forEach(f -> f.completeExceptionally(error));
  }

  /**
   * A round failed: its writes are queued again, in order (nothing attested here may be missing
   * from the store once the disk is back). {@code stillPending} are the pending records still worth
   * writing.
   */
  void requeue(
      List<Map.Entry<Observation, SignedObservation>> stillPending,
      List<Attestation> failedAttestations,
      List<MessageId> failedRemovals) {
    pending.addAll(stillPending);
    attestations.addAll(0, failedAttestations);
    removals.addAll(0, failedRemovals);
  }

  /**
   * Starts a round with everything queued, after the previous one; null when there is nothing to
   * do.
   */
  Round start() {
    if (pending.isEmpty()
        && attestations.isEmpty()
        && removals.isEmpty()
        && heldAfterNextWrite.isEmpty()) return null;
    var p = pending;
    var a = attestations;
    var r = removals;
    var held = heldAfterNextWrite;
    pending = new ArrayList<>();
    attestations = new ArrayList<>();
    removals = new ArrayList<>();
    heldAfterNextWrite = new ArrayList<>();
    // One write after another: a pending record never lands after the removal that follows it,
    // and a write's completion means every earlier one is on disk too.
    CompletableFuture<Void> w =
        lastWrite.handle((x, e) -> null).thenRunAsync(() -> store.write(p, a, r), blocking);
    lastWrite = w;
    w.whenComplete(
        (x, e) ->
            held.forEach(
                f -> {
                  if (e == null) f.complete(null);
                  else f.completeExceptionally(e);
                }));
    return new Round(p, a, r, w);
  }
}
