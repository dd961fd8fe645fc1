package dev.vigil.consensus.actor;

import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.wire.PeerMessage;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.Address;
import dev.vigil.signing.Secp256k1;

/**
 * Which peers' re-read requests to serve: a request must name this committee and another member, be
 * fresh (within {@link PeerDirectory#MAX_HEARTBEAT_SKEW_MILLIS} of this node's clock), carry the
 * signature of the member it names (checked at the limiter's bounded rate), and fit that member's
 * and the overall re-read budget ({@link ReobserveLimiter}). Not thread-safe: the actor's.
 */
final class RereadRequests {
  enum Verdict {
    /** Re-read the transaction. */
    SERVE,
    /** Not a request of this committee's members: counted as an undecodable item. */
    MALFORMED,
    /** Refused or throttled (counted by the limiter), or a repeat of one served lately. */
    DROP
  }

  private final Committee committee;
  private final int self;
  private final Secp256k1 backend;
  private final ReobserveLimiter limiter;

  RereadRequests(Committee committee, int self, Secp256k1 backend, ReobserveLimiter limiter) {
    this.committee = committee;
    this.self = self;
    this.backend = backend;
    this.limiter = limiter;
  }

  Verdict check(PeerMessage.ObservationRequest r, long nowMillis) {
    int requester = r.requesterIndex();
    if (r.committeeIndex() != committee.index()
        || requester < 0
        || requester >= committee.size()
        || requester == self) return Verdict.MALFORMED;
    // stale or replayed: refused before any work
    if (Math.abs(nowMillis - r.timeMillis()) > PeerDirectory.MAX_HEARTBEAT_SKEW_MILLIS) {
      limiter.refused();
      return Verdict.DROP;
    }
    // the signature costs a key recovery: checked at a bounded rate, then the request is charged
    // to the member that signed it
    if (!limiter.mayVerify(nowMillis)) return Verdict.DROP;
    if (!signedByRequester(r)) {
      limiter.refused();
      return Verdict.DROP;
    }
    return limiter.admit(requester, r.chain(), r.txHash(), nowMillis)
        ? Verdict.SERVE
        : Verdict.DROP;
  }

  private boolean signedByRequester(PeerMessage.ObservationRequest r) {
    if (!r.signature().isCanonical()) return false;
    try {
      Address signer =
          backend.recoverAddress(
              WireCodec.requestDigest(
                  r.committeeIndex(), r.requesterIndex(), r.chain(), r.txHash(), r.timeMillis()),
              r.signature());
      return signer != null && signer.equals(committee.member(r.requesterIndex()));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
