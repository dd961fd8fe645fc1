package dev.vigil.consensus.aggregation;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import java.util.BitSet;

/**
 * What the {@link Aggregator} asks its driver to do. The driver reports outcomes back as inputs.
 */
public sealed interface Decision {

  /** Pass the double-sign guard and sign; report {@code onOwnSigned} or {@code onSignRefused}. */
  record Sign(Observation observation, Digest digest) implements Decision {}

  /** Check the peer's signature; report {@code onPeerSignatureVerified}. */
  record VerifySignature(SignedObservation observation) implements Decision {}

  /**
   * Check a complete attestation from a peer; report {@code onPeerAttestationVerified}. The
   * signatures at the indices in {@code alreadyVerified} are byte-identical to ones this node has
   * verified for the same digest and need no recovery again.
   */
  record VerifyAttestation(Attestation attestation, BitSet alreadyVerified) implements Decision {}

  /** Send the own signed observation to every peer (batched by the driver). */
  record Broadcast(SignedObservation own) implements Decision {}

  /**
   * A new attestation: store it unless it came from the store, publish it, and send it to the peers
   * in {@code sendTo} (those not known to have signed it, and those that asked).
   */
  record Attested(Attestation attestation, BitSet sendTo, boolean store) implements Decision {}

  /** Send a known attestation to one peer that is evidently missing it. */
  record SendAttestation(Attestation attestation, int peer) implements Decision {}

  /** No quorum yet: re-broadcast the own signature and ask peers to re-read the transaction. */
  record Retry(SignedObservation own, Observation observation, int attempt) implements Decision {}

  /** Quorum did not come in time: forget the message (and drop it from the pending store). */
  record GiveUp(MessageId id, Digest digest) implements Decision {}

  /**
   * Too many signatures under member {@code signer}'s index turned out invalid ({@code invalid}
   * since its budget was last full): from now on its signatures for messages not observed here are
   * dropped unchecked, and those for observed messages are checked after everyone else's. Say so
   * once.
   */
  record Suspected(int signer, long invalid) implements Decision {}

  /**
   * A suspect member's budget is full again; {@code dropped} of its signatures went unchecked
   * meanwhile.
   */
  record Cleared(int signer, long dropped) implements Decision {}

  /** A member signed two digests for one message identity: keep both for anyone to verify. */
  record Evidence(SignedObservation first, SignedObservation second) implements Decision {}
}
