package dev.vigil.consensus.aggregation;

import dev.vigil.consensus.aggregation.RecentAttestations.Done;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The aggregation state machine of one guardian: observations, own signatures and peers' (already
 * verified) signatures in, {@link Decision}s out. Pure and single-threaded: no clock (time comes in
 * as {@code nowMillis}), no I/O, no crypto (the driver verifies and signs when asked to), and the
 * only randomness is the retry jitter from the generator it is given, so a seeded run repeats.
 *
 * <p>Rules (ARCHITECTURE.md, "Consensus protocol"):
 *
 * <ul>
 *   <li>quorum is declared only for the digest this node observed itself;
 *   <li>a peer's signature is verified before it counts, but signatures that cannot change the
 *       outcome any more (message already attested, same digest) are not verified at all;
 *   <li>signatures for messages not observed here wait, at most {@code maxUnseenPerPeer} messages
 *       and {@code maxUnseenBytesPerPeer} bytes ({@link #ENTRY_BYTES} each) per signer, and at most
 *       {@code giveUpAfter};
 *   <li>every signature reaches here from a batch its signer sent and signed (the driver drops
 *       batches whose signature is not their sender's), so caps, budgets and blame follow the
 *       authenticated sender;
 *   <li>each member has a budget of signatures that turn out invalid ({@code invalidBurst},
 *       refilled at {@code invalidPerSecond}); once it is spent the member is suspect: its
 *       signatures for messages not observed here are dropped unchecked, those for observed ones
 *       are checked last ({@link #priorityOf}), until its budget is full again;
 *   <li>a member's second, different digest for one message identity is evidence;
 *   <li>without quorum, the own signature is re-broadcast and the transaction re-requested with
 *       exponential backoff and jitter, until {@code giveUpAfter}.
 * </ul>
 *
 * <p>The decisions are taken here; the bookkeeping behind them is in package-private helpers:
 * {@link UnseenQuota}, {@link InvalidSignatureBudget}, {@link RecentAttestations} (with the delayed
 * sends to silent peers), {@link Pending} (one message's signatures and verification slots) and
 * {@link Counters}.
 */
public final class Aggregator {
  /**
   * What one waiting signature counts for against the per-signer byte cap of unseen messages:
   * signatures travel without bodies, so all weigh the same.
   */
  static final int ENTRY_BYTES = SignedObservation.WIRE_BYTES;

  /** Signatures under one signer index for one message checked at once beyond the first. */
  static final int MAX_EXTRA_IN_FLIGHT = 3;

  private final AggregatorConfig config;
  private final Committee committee;
  private long previousCommittee = -1;
  private final int self;
  private final int n;
  private final int quorum;
  private final RandomGenerator random;

  private final Map<MessageId, Pending> pending = new HashMap<>();
  private final RecentAttestations done;
  private final UnseenQuota unseen;
  private final InvalidSignatureBudget budget;
  private final Counters count;

  public Aggregator(
      AggregatorConfig config, Committee committee, int selfIndex, RandomGenerator random) {
    this.config = Objects.requireNonNull(config, "config");
    this.committee = Objects.requireNonNull(committee, "committee");
    this.n = committee.size();
    if (selfIndex < 0 || selfIndex >= n) {
      throw new IllegalArgumentException(
          "own signer index " + selfIndex + " is outside the committee of " + n);
    }
    this.self = selfIndex;
    this.quorum = committee.quorum();
    this.random = Objects.requireNonNull(random, "random");
    this.done = new RecentAttestations(config.recentAttestations());
    this.unseen = new UnseenQuota(n, config.maxUnseenPerPeer(), config.maxUnseenBytesPerPeer());
    this.budget = new InvalidSignatureBudget(n, config.invalidBurst(), config.invalidPerSecond());
    this.count = new Counters(n);
  }

  public Committee committee() {
    return committee;
  }

  /**
   * Complete attestations of the committee this one replaced are taken too (after rotation, peers
   * still hold some formed just before): the driver's verifier checks that it has not expired.
   */
  public void acceptAttestationsOf(long previousCommitteeIndex) {
    this.previousCommittee = previousCommitteeIndex;
  }

  public int selfIndex() {
    return self;
  }

  // ---------------------------------------------------------------- local observations

  /**
   * A final observation from the local chain observer, or the re-read answer to a peer's request
   * ({@code requester} >= 0), which then gets the attestation or our signature again.
   */
  public List<Decision> onLocalObservation(Observation observation, int requester, long nowMillis) {
    Digest digest = observation.digest();
    MessageId id = observation.messageId();
    Done d = done.get(id);
    if (d != null) {
      if (!d.digest.equals(digest)) {
        count.conflictsWithLocal++;
        return List.of();
      }
      return requester >= 0 && requester != self
          ? List.of(new Decision.SendAttestation(d.attestation, requester))
          : List.of();
    }
    Pending p = pending.get(id);
    if (p == null) {
      p = new Pending(id, n, nowMillis);
      pending.put(id, p);
    }
    if (requester >= 0 && requester != self) p.requesters.set(requester);
    if (p.local != null) {
      if (!p.localDigest.equals(digest)) {
        // The chain now says something else for the same identity (a reorg that was not final after
        // all, or a faulty RPC). The guard would refuse anyway; keep the first.
        count.conflictsWithLocal++;
        return List.of();
      }
      if (p.own == null && p.signFailed) {
        p.signFailed = false;
        return List.of(new Decision.Sign(p.local, digest));
      }
      return p.own != null && requester >= 0 ? List.of(new Decision.Broadcast(p.own)) : List.of();
    }
    p.local = observation;
    p.localDigest = digest;
    p.firstSeenMillis = nowMillis; // the give-up clock runs from our own observation
    releaseUnseen(p);
    List<Decision> out = new ArrayList<>(2);
    out.add(new Decision.Sign(observation, digest));
    checkQuorum(p, out, nowMillis);
    return out;
  }

  /** The driver passed the guard and signed. */
  public List<Decision> onOwnSigned(SignedObservation own, long nowMillis) {
    Pending p = pending.get(own.messageId());
    if (p == null || p.localDigest == null || !p.localDigest.equals(own.digest())) {
      return List.of(); // attested meanwhile (or given up): nothing left to send
    }
    p.own = own;
    p.bySigner[self] = own;
    count.acceptedBySigner[self]++;
    p.nextRetryMillis = nowMillis + backoff(0);
    List<Decision> out = new ArrayList<>(2);
    out.add(new Decision.Broadcast(own));
    checkQuorum(p, out, nowMillis);
    return out;
  }

  /**
   * Signing failed without a decision (the guard's record could not be written, e.g. the disk is
   * full): nothing was signed, and the next local observation of the message signs again.
   */
  public List<Decision> onSignFailed(MessageId id) {
    Pending p = pending.get(id);
    if (p != null && p.own == null) p.signFailed = true;
    return List.of();
  }

  /** The double-sign guard refused (this identity was signed with another digest before). */
  public List<Decision> onSignRefused(Observation observation) {
    count.signRefused++;
    Pending p = pending.get(observation.messageId());
    if (p != null) p.refused = true;
    return List.of();
  }

  /**
   * An own observation that was still pending when the node stopped, read back from the store: it
   * is re-broadcast at once.
   */
  public List<Decision> onRestoredOwn(
      Observation observation, SignedObservation own, long nowMillis) {
    MessageId id = own.messageId();
    if (done.contains(id) || pending.containsKey(id)) return List.of();
    Pending p = new Pending(id, n, nowMillis);
    p.local = observation;
    p.localDigest = own.digest();
    p.own = own;
    p.bySigner[self] = own;
    p.attempts = 1;
    p.nextRetryMillis = nowMillis + backoff(1);
    pending.put(id, p);
    return List.of(new Decision.Retry(own, observation, 0));
  }

  // ---------------------------------------------------------------- peers' signatures

  /** A peer's signed observation arrived (decoded, not yet verified). */
  public List<Decision> onPeerSignature(SignedObservation so, long nowMillis) {
    int signer = so.signerIndex();
    if (so.committeeIndex() != committee.index()) {
      count.wrongCommittee++;
      return List.of();
    }
    if (signer >= n) {
      count.notMember++;
      return List.of();
    }
    if (signer == self) {
      // Only this node holds its key; an echo of our own signature adds nothing.
      count.duplicates++;
      return List.of();
    }
    MessageId id = so.messageId();
    Done d = done.get(id);
    // A suspect signer's signature for a message attested here (late, or worth an equivocation
    // check
    // otherwise) or not observed here is dropped before its body is even hashed.
    if (d != null && budget.isSuspect(signer)) return dropUnchecked(signer);
    if (d != null) {
      if (d.digest.equals(so.digest())) {
        count.late++;
        d.signedBy.set(signer);
        // Soon after quorum this is the peer's first broadcast: it will reach quorum by itself.
        // Later
        // it is a retransmission: the peer is evidently missing the attestation, so it gets it, at
        // most once per resendInterval (an unverified claim costs us one send at most).
        long interval = config.resendInterval().toMillis();
        if (nowMillis - d.attestedMillis >= interval
            && nowMillis - d.lastSentMillis[signer] >= interval) {
          d.lastSentMillis[signer] = nowMillis;
          return List.of(new Decision.SendAttestation(d.attestation, signer));
        }
        return List.of();
      }
      // Another digest than the one the committee attested: worth a check for equivocation.
      return List.of(new Decision.VerifySignature(so));
    }
    Pending existing = pending.get(id);
    if (budget.isSuspect(signer) && (existing == null || existing.local == null))
      return dropUnchecked(signer);
    Pending p = existing != null ? existing : pendingForPeer(id, signer, nowMillis);
    if (p == null) return List.of();
    SignedObservation prev = p.bySigner[signer];
    if (prev != null && prev.digest().equals(so.digest())) {
      count.duplicates++;
      return List.of();
    }
    if (so.signature().equals(p.failedSignature[signer])
        && so.digest().equals(p.failedDigest[signer])) {
      count.duplicates++; // the same bytes failed here before: a replay costs nothing
      return List.of();
    }
    if (p.inFlight[signer] != null) {
      if (p.inFlight[signer].digest().equals(so.digest())
          && p.inFlight[signer].signature().equals(so.signature())) {
        count.duplicates++;
        return List.of();
      }
      // Another signature under the same index while the first is being checked: another digest
      // (equivocation?) or a forgery racing the real one. Check it too, but only a few such extras
      // per
      // signer at a time.
      if (p.extraInFlight[signer] >= MAX_EXTRA_IN_FLIGHT) {
        count.duplicates++;
        return List.of();
      }
      p.extraInFlight[signer]++;
      return List.of(new Decision.VerifySignature(so));
    }
    if (prev == null && peerSupport(p, so.digest()) >= peersNeeded(p)) {
      // Enough signatures for this digest are held or being checked: one more cannot change the
      // outcome, so it is not worth a recovery now. It is kept as a spare, checked only if one of
      // those being checked turns out invalid (a forgery racing the real signatures).
      count.late++;
      if (p.spare[signer] == null) p.spare[signer] = so;
      return List.of();
    }
    if (p.local == null && !unseen.admits(p.slots, signer, ENTRY_BYTES)) {
      unseen.dropped(signer);
      if (p.isEmpty()) pending.remove(id);
      return List.of();
    }
    reserve(p, signer, so); // the slot counts against the signer's quota while it is checked
    p.inFlight[signer] = so;
    return List.of(new Decision.VerifySignature(so));
  }

  private List<Decision> dropUnchecked(int signer) {
    budget.droppedUnchecked(signer);
    return List.of();
  }

  /**
   * In which order a signature that {@link #onPeerSignature} asked to verify should be checked, as
   * of now: the driver may hold such checks in a queue, and asks again just before it starts one.
   */
  public Priority priorityOf(SignedObservation so) {
    int signer = so.signerIndex();
    MessageId id = so.messageId();
    Done d = done.get(id);
    if (d != null) {
      if (d.digest.equals(so.digest()))
        return Priority.UNNEEDED; // attested meanwhile: cannot change anything
      return signer < n && budget.isSuspect(signer) ? Priority.UNNEEDED : Priority.OBSERVED;
    }
    Pending p = pending.get(id);
    boolean observed = p != null && p.local != null;
    if (signer < n && budget.isSuspect(signer) && !observed) return Priority.UNNEEDED;
    // Enough other signatures for the local digest came meanwhile: this one waits as a spare.
    if (observed
        && signer < n
        && so.equals(p.inFlight[signer])
        && so.digest().equals(p.localDigest)
        && surplus(p, signer)) {
      return Priority.UNNEEDED;
    }
    if (signer < n && budget.isSuspect(signer)) return Priority.SUSPECT;
    return observed ? Priority.OBSERVED : Priority.UNSEEN;
  }

  /**
   * Whether the other peers' signatures held or being checked for the local digest suffice for
   * quorum.
   */
  private boolean surplus(Pending p, int signer) {
    SignedObservation mine = p.inFlight[signer];
    p.inFlight[signer] = null; // not counting itself
    boolean enough = peerSupport(p, p.localDigest) >= peersNeeded(p);
    p.inFlight[signer] = mine;
    return enough;
  }

  /**
   * The driver did not check a signature that {@link #onPeerSignature} asked to verify: {@link
   * #priorityOf} said {@link Priority#UNNEEDED} by the time its turn came (or the check failed).
   */
  public List<Decision> onVerificationSkipped(SignedObservation so, long nowMillis) {
    int signer = so.signerIndex();
    MessageId id = so.messageId();
    Pending held = pending.get(id);
    boolean wasInFlight = false;
    boolean spared = false;
    if (held != null && signer < n) {
      if (so.equals(held.inFlight[signer])) {
        held.inFlight[signer] = null;
        wasInFlight = true;
        if (held.local != null
            && so.digest().equals(held.localDigest)
            && peerSupport(held, held.localDigest) >= peersNeeded(held)) {
          // Surplus for the local digest: kept as a spare, checked if one of the others fails.
          spared = true;
          if (held.spare[signer] == null) held.spare[signer] = so;
        }
      } else if (held.extraInFlight[signer] > 0) {
        held.extraInFlight[signer]--;
      }
      if (held.inFlight[signer] == null
          && held.bySigner[signer] == null
          && held.extraInFlight[signer] == 0) release(held, signer);
    }
    Done d = done.get(id);
    if (spared || d != null && d.digest.equals(so.digest())) count.late++;
    else if (signer < n && budget.isSuspect(signer)) dropUnchecked(signer);
    if (held == null) return List.of();
    // A check that counted as support for this digest is gone: the spares it made wait are needed.
    List<Decision> out = wasInFlight && !spared ? promoteSpares(held) : List.of();
    if (held.isEmpty()) pending.remove(id);
    return out;
  }

  /** The driver checked a peer's signature that {@link #onPeerSignature} asked to verify. */
  public List<Decision> onPeerSignatureVerified(
      SignedObservation so, Verification v, long nowMillis) {
    int signer = so.signerIndex();
    MessageId id = so.messageId();
    Pending held = pending.get(id);
    if (held != null && signer < n) {
      if (so.equals(held.inFlight[signer])) held.inFlight[signer] = null;
      else if (held.extraInFlight[signer] > 0) held.extraInFlight[signer]--;
      // The slot is released here and taken again below if the signature counts.
      if (held.inFlight[signer] == null
          && held.bySigner[signer] == null
          && held.extraInFlight[signer] == 0) release(held, signer);
    }
    if (!v.valid()) {
      // The signer index is the batch's authenticated sender: what it sent is its own doing, even
      // a real signature of another member's presented as its own (a replay), which is counted
      // as such but charged to the sender, never to the member whose key made it.
      List<Decision> out = new ArrayList<>(0);
      if (v.recoveredIndex() >= 0 && v.recoveredIndex() < n && signer < n) {
        count.impersonationsBySigner[signer]++;
      } else {
        count.invalidSignatures++;
        if (signer < n) count.invalidBySigner[signer]++;
      }
      if (signer < n) charge(signer, nowMillis, out);
      if (held == null) return out;
      if (signer < n) {
        held.failedSignature[signer] = so.signature();
        held.failedDigest[signer] = so.digest();
      }
      out.addAll(promoteSpares(held));
      if (held.isEmpty()) pending.remove(id);
      return out;
    }
    Done d = done.get(id);
    if (d != null) {
      if (d.digest.equals(so.digest())) {
        count.late++;
        return List.of();
      }
      count.conflictsWithLocal++;
      for (GuardianSignature gs : d.attestation.signatures()) {
        if (gs.signerIndex() == signer) {
          count.equivocationsBySigner[signer]++;
          SignedObservation first =
              SignedObservation.of(
                  d.attestation.committeeIndex(),
                  signer,
                  d.attestation.body(),
                  d.digest,
                  gs.signature(),
                  so.txHash());
          return List.of(new Decision.Evidence(first, so));
        }
      }
      return List.of();
    }
    Pending p = pendingForPeer(id, signer, nowMillis);
    if (p == null) return List.of();
    SignedObservation prev = p.bySigner[signer];
    if (prev != null) {
      if (prev.digest().equals(so.digest())) {
        count.duplicates++;
        return List.of();
      }
      count.equivocationsBySigner[signer]++;
      // Keep the first; it is the one we may count. Bodies known here go into the evidence.
      return List.of(new Decision.Evidence(withLocalBody(prev, p), withLocalBody(so, p)));
    }
    if (p.local == null) {
      if (!unseen.admits(p.slots, signer, ENTRY_BYTES)) {
        unseen.dropped(signer);
        if (p.isEmpty()) pending.remove(id);
        return List.of();
      }
      reserve(p, signer, so);
      p.bySigner[signer] = so;
      count.acceptedBySigner[signer]++;
      return List.of();
    }
    p.bySigner[signer] = so;
    count.acceptedBySigner[signer]++;
    if (!p.localDigest.equals(so.digest())) {
      count.conflictsWithLocal++;
      return List.of();
    }
    List<Decision> out = new ArrayList<>(1);
    checkQuorum(p, out, nowMillis);
    return out;
  }

  // ---------------------------------------------------------------- complete attestations

  /** A complete attestation arrived from a peer (decoded, not yet verified). */
  public List<Decision> onPeerAttestation(Attestation attestation, long nowMillis) {
    if (attestation.committeeIndex() != committee.index()
        && attestation.committeeIndex() != previousCommittee) {
      count.wrongCommittee++;
      return List.of();
    }
    if (done.contains(attestation.messageId())) {
      count.duplicates++;
      return List.of();
    }
    BitSet known = new BitSet();
    Pending p = pending.get(attestation.messageId());
    if (p != null && attestation.committeeIndex() == committee.index()) {
      Digest digest = attestation.digest();
      for (GuardianSignature gs : attestation.signatures()) {
        int i = gs.signerIndex();
        if (i < n
            && matches(p.bySigner[i], digest)
            && p.bySigner[i].signature().equals(gs.signature())) known.set(i);
      }
    }
    return List.of(new Decision.VerifyAttestation(attestation, known));
  }

  /** The driver checked a peer's attestation (valid: a quorum of this committee signed it). */
  public List<Decision> onPeerAttestationVerified(
      Attestation attestation, boolean valid, long nowMillis) {
    if (!valid) {
      count.invalidAttestations++;
      return List.of();
    }
    return adopt(attestation, true, nowMillis);
  }

  /**
   * The store already holds an attestation for a message we were about to sign (after a restart).
   */
  public List<Decision> onStoredAttestation(Attestation attestation, long nowMillis) {
    return adopt(attestation, false, nowMillis);
  }

  private List<Decision> adopt(Attestation attestation, boolean store, long nowMillis) {
    MessageId id = attestation.messageId();
    if (done.contains(id)) return List.of();
    Digest digest = attestation.digest();
    Pending p = pending.remove(id);
    BitSet sendTo = new BitSet(n);
    List<Decision> out = new ArrayList<>(2);
    if (p != null) {
      if (p.local == null) releaseUnseen(p);
      else if (!p.localDigest.equals(digest))
        count.conflictsWithLocal++; // the committee saw otherwise: alert
      sendTo.or(p.requesters);
      // Signer indices name members of the attestation's committee: compare within this one only.
      boolean sameCommittee = attestation.committeeIndex() == committee.index();
      for (GuardianSignature gs : attestation.signatures()) {
        int i = gs.signerIndex();
        if (sameCommittee
            && i < n
            && p.bySigner[i] != null
            && !p.bySigner[i].digest().equals(digest)) {
          count.equivocationsBySigner[i]++;
          out.add(
              new Decision.Evidence(
                  withLocalBody(p.bySigner[i], p),
                  SignedObservation.of(
                      attestation.committeeIndex(),
                      i,
                      attestation.body(),
                      digest,
                      gs.signature(),
                      p.bySigner[i].txHash())));
        }
      }
    }
    count.attestedByPeers(attestation.messageId().emitterChain());
    Done d = new Done(attestation, digest, n, nowMillis);
    for (GuardianSignature gs : attestation.signatures())
      if (gs.signerIndex() < n) d.signedBy.set(gs.signerIndex());
    sendTo.clear(self);
    sendTo.stream().forEach(i -> d.lastSentMillis[i] = nowMillis);
    done.put(id, d);
    out.add(0, new Decision.Attested(attestation, sendTo, store));
    return out;
  }

  // ---------------------------------------------------------------- time

  /** Retries, give-ups and expiry of waiting peers' signatures. Call it every few hundred ms. */
  public List<Decision> onTick(long nowMillis) {
    List<Decision> out = new ArrayList<>(budget.clearRefilled(nowMillis));
    out.addAll(done.dueSends(nowMillis, config.resendInterval().toMillis()));
    long giveUpMillis = config.giveUpAfter().toMillis();
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (nowMillis - p.firstSeenMillis >= giveUpMillis) {
        it.remove();
        if (p.local == null) {
          releaseUnseen(p);
        } else {
          count.gaveUp++;
          out.add(new Decision.GiveUp(p.id, p.localDigest));
        }
      } else if (p.own != null && nowMillis >= p.nextRetryMillis) {
        out.add(new Decision.Retry(p.own, p.local, p.attempts));
        p.attempts++;
        p.nextRetryMillis = nowMillis + backoff(p.attempts);
      }
    }
    return out;
  }

  /** Delay before retry number {@code attempt} (0-based): initial * 2^attempt, capped, jittered. */
  long backoff(int attempt) {
    long initial = config.retryInitial().toMillis();
    long max = config.retryMax().toMillis();
    long base = attempt >= 30 ? max : Math.min(max, initial << attempt);
    double j = config.retryJitter();
    double factor = j == 0 ? 1 : 1 - j + 2 * j * random.nextDouble();
    return Math.max(1, Math.round(base * factor));
  }

  // ---------------------------------------------------------------- queries

  /** Whether this node holds a (recent) attestation for the message. */
  public boolean isAttested(MessageId id) {
    return done.contains(id);
  }

  public boolean isPending(MessageId id) {
    return pending.containsKey(id);
  }

  /**
   * Whether too many of this signer's signatures turned out invalid lately (see {@link
   * #priorityOf}).
   */
  public boolean isSuspect(int signer) {
    return signer >= 0 && signer < n && budget.isSuspect(signer);
  }

  /** The messages without quorum yet, oldest first, at most {@code limit}. */
  public List<PendingMessage> pendingSnapshot(long nowMillis, int limit) {
    List<Pending> all = new ArrayList<>(pending.values());
    all.sort(java.util.Comparator.comparingLong(p -> p.firstSeenMillis));
    List<PendingMessage> out = new ArrayList<>(Math.min(limit, all.size()));
    for (Pending p : all) {
      if (out.size() >= limit) break;
      List<Integer> signed = new ArrayList<>();
      Map<Digest, List<Integer>> others = new java.util.TreeMap<>();
      for (int i = 0; i < n; i++) {
        SignedObservation so = p.bySigner[i];
        if (so == null) continue;
        if (p.localDigest == null || so.digest().equals(p.localDigest)) signed.add(i);
        else others.computeIfAbsent(so.digest(), k -> new ArrayList<>()).add(i);
      }
      out.add(
          new PendingMessage(
              p.id,
              p.local != null,
              p.localDigest,
              p.local != null ? p.local.txHash() : null,
              signed,
              others,
              nowMillis - p.firstSeenMillis,
              p.attempts));
    }
    return out;
  }

  public AggregationStats stats() {
    long local = 0;
    for (Pending p : pending.values()) if (p.local != null) local++;
    return count.stats(local, pending.size() - local, unseen, budget);
  }

  // ---------------------------------------------------------------- internals

  private void checkQuorum(Pending p, List<Decision> out, long nowMillis) {
    if (p.local == null) return;
    List<GuardianSignature> sigs = new ArrayList<>(quorum);
    for (int i = 0; i < n; i++) {
      SignedObservation so = p.bySigner[i];
      if (so != null && so.digest().equals(p.localDigest))
        sigs.add(so.guardianSignature()); // ascending index
    }
    if (sigs.size() < quorum) return;
    Attestation a = Attestation.v1(committee.index(), sigs, p.local.body());
    pending.remove(p.id);
    count.attestedHere(p.id.emitterChain());
    Done d = new Done(a, p.localDigest, n, nowMillis);
    for (int i = 0; i < n; i++) {
      if (matches(p.bySigner[i], p.localDigest)
          || matches(p.inFlight[i], p.localDigest)
          || matches(p.spare[i], p.localDigest)) {
        d.signedBy.set(i);
      }
    }
    d.signedBy.set(self);
    // Peers that asked get it now; peers not heard from get it after a short delay unless their
    // signature comes meanwhile (then they observed it and reach quorum by themselves).
    BitSet sendTo = (BitSet) p.requesters.clone();
    sendTo.clear(self);
    sendTo.stream().forEach(i -> d.lastSentMillis[i] = nowMillis);
    long at = nowMillis + config.attestationSendDelay().toMillis();
    for (int i = 0; i < n; i++)
      if (!d.signedBy.get(i) && !sendTo.get(i)) done.scheduleSend(at, p.id, i);
    done.put(p.id, d);
    out.add(new Decision.Attested(a, sendTo, true));
  }

  private void releaseUnseen(Pending p) {
    unseen.releaseAll(p.slots);
  }

  /** Counts the signer's slot in a not-yet-observed message against its quota (once). */
  private void reserve(Pending p, int signer, SignedObservation so) {
    if (p.local == null) unseen.reserve(p.slots, signer, ENTRY_BYTES);
  }

  private void release(Pending p, int signer) {
    unseen.release(p.slots, signer);
  }

  /**
   * One more invalid signature to the signer's budget; the first that empties it makes it suspect.
   */
  private void charge(int signer, long nowMillis, List<Decision> out) {
    Decision.Suspected suspected = budget.charge(signer, nowMillis);
    if (suspected != null) out.add(suspected);
  }

  /** A signature being checked was invalid: the spares it made look unnecessary are checked now. */
  private List<Decision> promoteSpares(Pending p) {
    List<Decision> out = new ArrayList<>(0);
    for (int i = 0; i < n; i++) {
      SignedObservation so = p.spare[i];
      if (so == null) continue;
      p.spare[i] = null;
      if (p.inFlight[i] != null || p.bySigner[i] != null) continue;
      if (p.local == null && !unseen.admits(p.slots, i, ENTRY_BYTES)) {
        unseen.dropped(i);
        continue;
      }
      if (budget.isSuspect(i) && p.local == null) {
        dropUnchecked(i);
        continue;
      }
      reserve(p, i, so);
      p.inFlight[i] = so;
      out.add(new Decision.VerifySignature(so));
    }
    return out;
  }

  /**
   * Peers' signatures for {@code digest} held or being checked. A suspect signer's signature being
   * checked does not count: it is checked last and likely invalid, and an honest signature made a
   * spare behind it would wait for it.
   */
  private int peerSupport(Pending p, Digest digest) {
    int c = 0;
    for (int i = 0; i < n; i++) {
      if (i == self) continue;
      if ((p.bySigner[i] != null && p.bySigner[i].digest().equals(digest))
          || (p.inFlight[i] != null
              && !budget.isSuspect(i)
              && p.inFlight[i].digest().equals(digest))) {
        c++;
      }
    }
    return c;
  }

  /** How many peers' signatures a quorum needs besides our own (all of it if we cannot sign). */
  private int peersNeeded(Pending p) {
    return p.refused ? quorum : quorum - 1;
  }

  /** The signature with this node's own observed body attached, if that is what it signed. */
  private static SignedObservation withLocalBody(SignedObservation so, Pending p) {
    return p.local == null ? so : so.withBodyIfSigned(p.local.body(), p.localDigest);
  }

  private static boolean matches(SignedObservation so, Digest digest) {
    return so != null && so.digest().equals(digest);
  }

  /**
   * The pending entry a peer's signature goes into, created if needed; null when the signer already
   * holds its cap of messages this node has not observed (the signature is dropped and counted).
   */
  private Pending pendingForPeer(MessageId id, int signer, long nowMillis) {
    Pending p = pending.get(id);
    if (p != null) return p;
    if (!unseen.hasRoom(signer, ENTRY_BYTES)) {
      unseen.dropped(signer);
      return null;
    }
    p = new Pending(id, n, nowMillis);
    pending.put(id, p);
    return p;
  }
}
