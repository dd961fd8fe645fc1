package dev.vigil.consensus.actor;

import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.wire.PeerMessage;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.Signer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes kept equivocation evidence that lacks a body. Peers exchange digests, not bodies, so a
 * member's second digest for a message usually arrives here without its body, and a contract cannot
 * check a message id from a digest. Every {@link #INTERVAL} a round (on the blocking executor)
 * completes what this guardian holds itself by now, then asks every peer for at most {@link
 * #PER_ROUND} of the bodies still missing with a signed {@link PeerMessage.BodyRequest}; a body
 * asked again waits twice as long each time, from {@link #FIRST_RETRY} up to {@link #MAX_RETRY}. A
 * {@link PeerMessage.BodyReply} is taken only for a body asked for: its digest
 * (keccak256(keccak256(body))) and message id must be those of the missing half, and it is attached
 * to every kept piece where that digest was signed. A member that withholds its second body (no
 * peer holds it) leaves its evidence incomplete for good.
 */
final class MissingBodies {
  static final Duration INTERVAL = Duration.ofSeconds(2);
  static final int PER_ROUND = 4;
  static final long FIRST_RETRY = 10_000;
  static final long MAX_RETRY = 600_000;
  static final int MAX_ASKED = 1024;
  static final int MAX_REPLIES_CHECKING = 8;

  private static final Logger log = LoggerFactory.getLogger(MissingBodies.class);

  private record Asked(long nextAt, long waitMillis) {}

  private final EvidenceBodyStore store;
  private final Signer signer;
  private final Executor blocking;
  private final Map<EvidenceBodyStore.Missing, Asked> asked = new ConcurrentHashMap<>();
  private final AtomicBoolean roundRunning = new AtomicBoolean();
  private final AtomicInteger repliesChecking = new AtomicInteger();

  final AtomicLong requested = new AtomicLong();
  final AtomicLong completed = new AtomicLong();
  final AtomicLong repliesRefused = new AtomicLong();

  MissingBodies(EvidenceBodyStore store, Signer signer, Executor blocking) {
    this.store = store;
    this.signer = signer;
    this.blocking = blocking;
  }

  /**
   * One round, unless the last is still running. Called on the actor's thread with the committee
   * this guardian works with now, its peers' inboxes and its own (serialized, for the replies).
   */
  void round(
      Committee committee, int self, Set<ActorRef<PeerMessage>> peers, String replyTo, long now) {
    if (!roundRunning.compareAndSet(false, true)) return;
    long committeeIndex = committee.index();
    CompletableFuture.runAsync(
            () -> ask(committeeIndex, self, List.copyOf(peers), replyTo, now), blocking)
        .whenComplete(
            (ok, err) -> {
              roundRunning.set(false);
              if (err != null) log.warn("a round asking peers for evidence bodies failed", err);
            });
  }

  private void ask(
      long committeeIndex, int self, List<ActorRef<PeerMessage>> peers, String replyTo, long now) {
    List<EvidenceBodyStore.Missing> missing = store.missing(64);
    if (missing.size() < 64) asked.keySet().retainAll(Set.copyOf(missing));
    if (peers.isEmpty()) return;
    int sent = 0;
    for (EvidenceBodyStore.Missing m : missing) {
      if (sent >= PER_ROUND) break;
      Asked a = asked.get(m);
      if (a != null && now < a.nextAt()) continue;
      if (a == null && asked.size() >= MAX_ASKED) continue;
      long wait = a == null ? FIRST_RETRY : Math.min(MAX_RETRY, 2 * a.waitMillis());
      asked.put(m, new Asked(now + wait, wait));
      PeerMessage.BodyRequest r =
          WireCodec.bodyRequest(
              committeeIndex, self, m.messageId(), m.digest(), replyTo, now, signer);
      for (ActorRef<PeerMessage> p : peers) p.tell(r);
      requested.incrementAndGet();
      sent++;
      log.info(
          "asked {} peers for the body of {} (digest {}) that evidence kept here lacks",
          peers.size(),
          m.messageId(),
          m.digest());
    }
  }

  /** A peer's reply; checked and kept on the blocking executor, at most a few at once. */
  void onReply(PeerMessage.BodyReply r) {
    if (asked.isEmpty() || repliesChecking.incrementAndGet() > MAX_REPLIES_CHECKING) {
      repliesChecking.decrementAndGet();
      repliesRefused.incrementAndGet();
      return;
    }
    CompletableFuture.runAsync(() -> take(r.body()), blocking)
        .whenComplete(
            (ok, err) -> {
              repliesChecking.decrementAndGet();
              if (err != null) log.warn("keeping a body for evidence failed", err);
            });
  }

  private void take(Body body) {
    var key = new EvidenceBodyStore.Missing(body.messageId(), body.digest());
    if (asked.remove(key) == null) {
      repliesRefused.incrementAndGet();
      return;
    }
    int n = store.complete(body);
    completed.addAndGet(n);
    log.info(
        "a peer sent the body of {} (digest {}): {} piece(s) of evidence complete with it",
        key.messageId(),
        key.digest(),
        n);
  }
}
