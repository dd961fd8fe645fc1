package dev.vigil.consensus.actor;

import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.wire.PeerMessage;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.Address;
import dev.vigil.signing.Secp256k1;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves peers' {@link PeerMessage.BodyRequest}s: a request must name this committee and another
 * member, be fresh (within {@link PeerDirectory#MAX_HEARTBEAT_SKEW_MILLIS} of this clock) and carry
 * the signature of the member it names. Signatures are checked at most {@link #CHECKS_PER_SECOND}
 * times a second in all; each member then gets at most {@link #PER_MEMBER_PER_SECOND} answered a
 * second (bursts of {@link #PER_MEMBER_BURST}). The answer is a body with exactly the digest asked
 * for, from what this guardian holds (its attestations, own pending observations or evidence), or
 * nothing. {@link #onRequest} is called on the actor's thread; the check and the store read run on
 * the blocking executor, and the reply is told from there.
 */
final class BodyRequests {
  static final int CHECKS_PER_SECOND = 64;
  static final double PER_MEMBER_PER_SECOND = 4;
  static final int PER_MEMBER_BURST = 16;

  private static final Logger log = LoggerFactory.getLogger(BodyRequests.class);

  private final Secp256k1 backend;
  private final EvidenceBodyStore store;
  private final Executor blocking;
  private final Function<String, ActorRef<PeerMessage>> resolve;
  // actor thread only
  private long windowStart;
  private int checksInWindow;
  // guarded by this: per member index, tokens and when they were counted
  private double[] tokens = new double[0];
  private long[] tokensAt = new long[0];

  final AtomicLong served = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong unknown = new AtomicLong();

  BodyRequests(
      Secp256k1 backend,
      EvidenceBodyStore store,
      Executor blocking,
      Function<String, ActorRef<PeerMessage>> resolve) {
    this.backend = backend;
    this.store = store;
    this.blocking = blocking;
    this.resolve = resolve;
  }

  /**
   * A peer's request, checked against the committee this guardian works with now. Returns false
   * when it is malformed for that committee (counted by the caller as an undecodable item).
   */
  boolean onRequest(PeerMessage.BodyRequest r, Committee committee, int self, long nowMillis) {
    int requester = r.requesterIndex();
    if (r.committeeIndex() != committee.index()
        || requester < 0
        || requester >= committee.size()
        || requester == self) return false;
    if (Math.abs(nowMillis - r.timeMillis()) > PeerDirectory.MAX_HEARTBEAT_SKEW_MILLIS) {
      refused.incrementAndGet();
      return true;
    }
    if (nowMillis - windowStart >= 1000) {
      windowStart = nowMillis;
      checksInWindow = 0;
    }
    if (checksInWindow >= CHECKS_PER_SECOND) {
      refused.incrementAndGet();
      return true;
    }
    checksInWindow++;
    Address member = committee.member(requester);
    int size = committee.size();
    CompletableFuture.runAsync(() -> serve(r, member, size, nowMillis), blocking)
        .exceptionally(
            e -> {
              log.warn("answering a body request for {} failed", r.messageId(), e);
              return null;
            });
    return true;
  }

  private void serve(PeerMessage.BodyRequest r, Address member, int committeeSize, long now) {
    if (!signedBy(r, member) || !admit(r.requesterIndex(), committeeSize, now)) {
      refused.incrementAndGet();
      return;
    }
    Optional<Body> body = store.bodyFor(r.messageId(), r.digest());
    if (body.isEmpty()) {
      unknown.incrementAndGet();
      return;
    }
    ActorRef<PeerMessage> to;
    try {
      to = resolve.apply(r.replyTo());
    } catch (RuntimeException e) {
      refused.incrementAndGet();
      return;
    }
    to.tell(new PeerMessage.BodyReply(body.get()));
    served.incrementAndGet();
  }

  private boolean signedBy(PeerMessage.BodyRequest r, Address member) {
    if (!r.signature().isCanonical()) return false;
    try {
      Address signer =
          backend.recoverAddress(
              WireCodec.bodyRequestDigest(
                  r.committeeIndex(),
                  r.requesterIndex(),
                  r.messageId(),
                  r.digest(),
                  r.timeMillis()),
              r.signature());
      return member.equals(signer);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A token of the member's bucket, if one is left. */
  private synchronized boolean admit(int member, int committeeSize, long now) {
    if (tokens.length != committeeSize) {
      tokens = new double[committeeSize];
      tokensAt = new long[committeeSize];
      java.util.Arrays.fill(tokens, PER_MEMBER_BURST);
      java.util.Arrays.fill(tokensAt, now);
    }
    double t =
        Math.min(
            PER_MEMBER_BURST,
            tokens[member] + Math.max(0, now - tokensAt[member]) * PER_MEMBER_PER_SECOND / 1000.0);
    tokensAt[member] = Math.max(tokensAt[member], now);
    if (t < 1) {
      tokens[member] = t;
      return false;
    }
    tokens[member] = t - 1;
    return true;
  }
}
