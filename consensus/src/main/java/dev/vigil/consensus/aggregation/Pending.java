package dev.vigil.consensus.aggregation;

import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Signature;
import java.util.BitSet;

/**
 * What the aggregator holds for one message without quorum yet: the local observation and own
 * signature, each member's first valid signature, and the verification slots (the signature being
 * checked per signer, a few extra ones, unchecked spares, the last that failed).
 */
final class Pending {
  final MessageId id;
  final SignedObservation[] bySigner; // the first valid signature of each member
  final SignedObservation[] inFlight; // the signature being checked, per signer
  final SignedObservation[] spare; // unchecked surplus signatures, per signer
  final byte[] extraInFlight; // further signatures under one index being checked at once
  final BitSet requesters = new BitSet();
  final UnseenQuota.Slots slots; // signers whose slot counts against their unseen quota
  final Signature[]
      failedSignature; // the last signature under each index that failed, and its digest
  final Digest[] failedDigest;
  boolean refused;
  boolean signFailed; // the guard's record could not be written: sign again when observed again
  long firstSeenMillis;
  Observation local;
  Digest localDigest;
  SignedObservation own;
  int attempts;
  long nextRetryMillis = Long.MAX_VALUE;

  Pending(MessageId id, int n, long now) {
    this.id = id;
    this.bySigner = new SignedObservation[n];
    this.inFlight = new SignedObservation[n];
    this.spare = new SignedObservation[n];
    this.extraInFlight = new byte[n];
    this.slots = new UnseenQuota.Slots(n);
    this.failedSignature = new Signature[n];
    this.failedDigest = new Digest[n];
    this.firstSeenMillis = now;
  }

  boolean isEmpty() {
    if (local != null) return false;
    for (int i = 0; i < bySigner.length; i++)
      if (bySigner[i] != null || inFlight[i] != null) return false;
    for (byte b : extraInFlight) if (b != 0) return false;
    return true;
  }
}
