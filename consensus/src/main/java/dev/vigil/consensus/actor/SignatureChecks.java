package dev.vigil.consensus.actor;

import dev.vigil.consensus.aggregation.Verification;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.wire.PeerMessage;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.Address;
import dev.vigil.signing.Secp256k1;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/** The checks that run on the crypto dispatcher: stateless after construction, so thread-safe. */
final class SignatureChecks {
  private final Committee committee;
  private final Secp256k1 backend;
  private final AttestationVerifier verifier;
  private final Map<Address, Integer> indexOf = new HashMap<>();

  SignatureChecks(Committee committee, Secp256k1 backend, AttestationVerifier verifier) {
    this.committee = committee;
    this.backend = backend;
    this.verifier = verifier;
    for (int i = 0; i < committee.size(); i++) indexOf.put(committee.member(i), i);
  }

  /** Recovers the signer and compares it with the committee. */
  Verification verify(SignedObservation so) {
    if (!so.signature().isCanonical()) return Verification.NOT_A_MEMBER;
    Address a;
    try {
      a = backend.recoverAddress(so.digest().toBytes(), so.signature());
    } catch (RuntimeException e) {
      return Verification.NOT_A_MEMBER;
    }
    if (a == null) return Verification.NOT_A_MEMBER;
    Integer idx = indexOf.get(a);
    if (idx == null) return Verification.NOT_A_MEMBER;
    return idx == so.signerIndex() ? Verification.VALID : Verification.impersonatedBy(idx);
  }

  /**
   * Whether a batch's signature is its sender's: then everything in it is charged to that member.
   */
  boolean authentic(PeerMessage.ObservationBatch b) {
    if (!b.signature().isCanonical() || b.senderIndex() >= committee.size()) return false;
    try {
      Address a =
          backend.recoverAddress(
              WireCodec.batchDigest(b.committeeIndex(), b.senderIndex(), b.observations()),
              b.signature());
      return committee.member(b.senderIndex()).equals(a);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Signatures this node already verified ({@code known}: same bytes, same digest) are not
   * recovered again; everything else is the AttestationVerifier's full check.
   */
  Verdict verifyAttestation(Attestation a, BitSet known) {
    if (known.isEmpty()
        || a.version() != Attestation.VERSION_1
        || a.committeeIndex() != committee.index()
        || a.signatures().size() < committee.quorum()) {
      return verifier.verify(a);
    }
    int previous = -1;
    for (GuardianSignature gs : a.signatures()) {
      if (gs.signerIndex() <= previous || gs.signerIndex() >= committee.size())
        return verifier.verify(a); // names the reason
      previous = gs.signerIndex();
    }
    var digest = a.digest();
    for (GuardianSignature gs : a.signatures()) {
      if (known.get(gs.signerIndex())) continue;
      Verdict v = verifier.verifySignature(committee, digest, gs);
      if (!v.isValid()) return v;
    }
    return Verdict.VALID;
  }
}
