package dev.vigil.consensus.actor;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.DecodeResult;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Signer;
import dev.vigil.storage.AttestationStore;
import dev.vigil.storage.GuardedSigner;
import dev.vigil.storage.PendingObservation;
import dev.vigil.storage.SigningRecordStore;
import dev.vigil.storage.StoredAttestation;
import dev.vigil.storage.VigilDatabase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The consensus side of the node's database: blocking calls, made only on the blocking dispatcher.
 * Formats of the opaque values (pending own observations, evidence) are consensus's, in protobuf.
 */
final class ConsensusStore {
  private final VigilDatabase db;
  private final GuardedSigner guard;

  ConsensusStore(VigilDatabase db, Signer signer) {
    this.db = db;
    this.guard = new GuardedSigner(signer, db.signingRecords());
  }

  Optional<Attestation> attestation(MessageId id) {
    return db.attestations().get(id).flatMap(ConsensusStore::decode);
  }

  private static Optional<Attestation> decode(StoredAttestation s) {
    return AttestationCodec.decode(s.bytes()) instanceof DecodeResult.Ok<Attestation> ok
        ? Optional.of(ok.value())
        : Optional.empty();
  }

  /** An observation to sign, with its digest (computed once, by the aggregator). */
  record ToSign(Observation observation, Digest digest) {}

  /** What guarded signing did with one observation of a batch. */
  sealed interface SignOutcome {
    Observation observation();
  }

  /** Signed behind the guard's (synced) record. */
  record Signed(Observation observation, SignedObservation own) implements SignOutcome {}

  /** The guard refused: another digest was signed for this message identity. */
  record Refused(Observation observation, String reason) implements SignOutcome {}

  /** Its attestation is stored already: nothing was signed. */
  record AlreadyAttested(Observation observation, Attestation attestation) implements SignOutcome {}

  /**
   * Guards and signs a batch: observations whose attestation is stored already are skipped, the
   * records of all others are written in one synced batch, then each allowed one is signed. The
   * pending records are written later, in a batch. Outcomes are in the order of {@code items}.
   *
   * @throws dev.vigil.storage.StorageException a read or the guard's write failed; nothing was
   *     signed
   */
  List<SignOutcome> signAll(List<ToSign> items, long committeeIndex, int selfIndex) {
    SignOutcome[] out = new SignOutcome[items.size()];
    List<SigningRecordStore.Proposal> proposals = new ArrayList<>(items.size());
    List<Integer> proposed = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Observation obs = items.get(i).observation();
      Optional<Attestation> known = attestation(obs.messageId());
      if (known.isPresent()) {
        out[i] = new AlreadyAttested(obs, known.get());
      } else {
        proposals.add(new SigningRecordStore.Proposal(obs.messageId(), items.get(i).digest()));
        proposed.add(i);
      }
    }
    List<GuardedSigner.Result> results = guard.signAll(proposals);
    for (int j = 0; j < results.size(); j++) {
      int i = proposed.get(j);
      Observation obs = items.get(i).observation();
      GuardedSigner.Result r = results.get(j);
      out[i] =
          r.signed()
              ? new Signed(
                  obs,
                  SignedObservation.of(
                      committeeIndex,
                      selfIndex,
                      obs.body(),
                      items.get(i).digest(),
                      r.signature(),
                      obs.txHash()))
              : new Refused(obs, r.refusal().getMessage());
    }
    return List.of(out);
  }

  /**
   * One round of writes, in one atomic batch: the attestations with their digest index, the new
   * pending own observations (but not those attested in this same round), and the removal of those
   * that are attested or given up. Unsynced: the guard's record is what keeps signing safe, and an
   * unsynced write survives a crash of the process (only a crash of the machine can lose it, and
   * then the observer's cursor, written after it, is lost with it). A round with attestations ends
   * with one fsync, because they are served once the round completes, and a disk that fails (turns
   * read-only) loses what was only in its page cache.
   */
  void write(
      List<Map.Entry<Observation, SignedObservation>> newPending,
      List<Attestation> attestations,
      List<MessageId> done) {
    if (newPending.isEmpty() && attestations.isEmpty() && done.isEmpty()) return;
    List<AttestationStore.Entry> entries = new ArrayList<>(attestations.size());
    Set<MessageId> attested = new HashSet<>();
    for (Attestation a : attestations) {
      MessageId k = a.messageId();
      entries.add(new AttestationStore.Entry(k, a.digest(), AttestationCodec.encode(a)));
      attested.add(k);
    }
    db.attestations()
        .putAll(
            entries,
            batch -> {
              for (var e : newPending) {
                MessageId k = e.getKey().messageId();
                if (!attested.contains(k))
                  db.pendingOwn()
                      .put(batch, k, WireCodec.encodePendingOwn(e.getKey(), e.getValue()));
              }
              for (MessageId k : attested) db.pendingOwn().remove(batch, k);
              for (MessageId id : done) db.pendingOwn().remove(batch, id);
            });
    if (!attestations.isEmpty()) db.sync();
  }

  /**
   * Own observations still pending when the node stopped; unreadable entries are skipped, and
   * entries whose attestation is stored after all (written by a version that did not write a round
   * atomically) are dropped from the store.
   */
  List<Map.Entry<Observation, SignedObservation>> pendingOwn() {
    List<Map.Entry<Observation, SignedObservation>> out = new ArrayList<>();
    for (PendingObservation p : db.pendingOwn().all()) {
      var e = WireCodec.decodePendingOwn(p.observation());
      if (e == null) continue;
      if (db.attestations().contains(p.key())) db.pendingOwn().remove(p.key());
      else out.add(e);
    }
    return out;
  }
}
