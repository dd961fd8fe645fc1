package dev.vigil.consensus.actor;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.DecodeResult;
import dev.vigil.consensus.attestation.MessageId;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.Address;
import dev.vigil.signing.Signature;
import dev.vigil.signing.Signer;
import dev.vigil.storage.DoubleSignRefusedException;
import dev.vigil.storage.GuardedSigner;
import dev.vigil.storage.MessageKey;
import dev.vigil.storage.PendingObservation;
import dev.vigil.storage.StoredAttestation;
import dev.vigil.storage.VigilDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  static MessageKey key(MessageId id) {
    return new MessageKey(id.emitterChain(), id.emitterAddress().toBytes(), id.sequence());
  }

  Optional<Attestation> attestation(MessageId id) {
    return db.attestations().get(key(id)).flatMap(ConsensusStore::decode);
  }

  private static Optional<Attestation> decode(StoredAttestation s) {
    return AttestationCodec.decode(s.bytes()) instanceof DecodeResult.Ok<Attestation> ok ? Optional.of(ok.value()) : Optional.empty();
  }

  /** Guard (synced record), sign, then remember the observation as pending for a restart. */
  SignedObservation sign(Observation obs, long committeeIndex, int selfIndex) throws DoubleSignRefusedException {
    var digest = obs.digest();
    MessageKey key = key(obs.messageId());
    Signature sig = guard.sign(key, digest.toBytes());
    SignedObservation own = SignedObservation.of(committeeIndex, selfIndex, obs.body(), digest, sig, obs.txHash());
    db.pendingOwn().put(key, WireCodec.encodePendingOwn(obs, own));
    return own;
  }

  void putAttestation(Attestation a) {
    MessageKey key = key(a.messageId());
    db.attestations().put(key, dev.vigil.storage.Digest.of(a.digest().toBytes()), AttestationCodec.encode(a));
    db.pendingOwn().remove(key);
  }

  void removePending(MessageId id) {
    db.pendingOwn().remove(key(id));
  }

  boolean appendEvidence(SignedObservation first, SignedObservation second, Address signer) {
    return db.evidence().append(key(first.messageId()), signer, WireCodec.encodeEquivocation(first, second));
  }

  /** Own observations still pending when the node stopped; unreadable entries are skipped. */
  List<Map.Entry<Observation, SignedObservation>> pendingOwn() {
    List<Map.Entry<Observation, SignedObservation>> out = new ArrayList<>();
    for (PendingObservation p : db.pendingOwn().all()) {
      var e = WireCodec.decodePendingOwn(p.observation());
      if (e != null) out.add(e);
    }
    return out;
  }
}
