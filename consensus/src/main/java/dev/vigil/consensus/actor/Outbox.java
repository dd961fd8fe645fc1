package dev.vigil.consensus.actor;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.wire.PeerMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What goes to peers at the next flush: own signatures, one batch to every peer, and attestations,
 * one batch per inbox. Not thread-safe: the actor's.
 */
final class Outbox {
  private final List<SignedObservation> own = new ArrayList<>();
  private final Map<ActorRef<PeerMessage>, List<Attestation>> attestations = new LinkedHashMap<>();
  private int attestationCount;

  void addOwn(SignedObservation so) {
    own.add(so);
  }

  /** One attestation for one member, to the inboxes that may be its (counted once). */
  void addAttestation(Attestation a, List<ActorRef<PeerMessage>> inboxes) {
    for (ActorRef<PeerMessage> ref : inboxes)
      attestations.computeIfAbsent(ref, r -> new ArrayList<>()).add(a);
    attestationCount++;
  }

  int ownCount() {
    return own.size();
  }

  int attestationCount() {
    return attestationCount;
  }

  void flush(Set<ActorRef<PeerMessage>> peers) {
    if (!own.isEmpty()) {
      PeerMessage batch = PeerMessage.ObservationBatch.of(own);
      for (ActorRef<PeerMessage> p : peers) p.tell(batch);
      own.clear();
    }
    attestations.forEach((ref, list) -> ref.tell(PeerMessage.AttestationBatch.of(list)));
    attestations.clear();
    attestationCount = 0;
  }
}
