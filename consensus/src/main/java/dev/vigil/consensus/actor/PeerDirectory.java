package dev.vigil.consensus.actor;

import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.wire.PeerMessage;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.Address;
import dev.vigil.signing.Secp256k1;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The peers' inboxes this guardian knows: every inbox the Receptionist lists, and which of them is
 * which member's, learnt from signed, fresh heartbeats. Not thread-safe: the actor's.
 */
final class PeerDirectory {
  /**
   * Heartbeats further than this from our clock are dropped as stale or replayed (clocks are
   * NTP-synced).
   */
  static final long MAX_HEARTBEAT_SKEW_MILLIS = 60_000;

  private final Committee committee;
  private final int self;
  private final Secp256k1 backend;
  private final Function<String, ActorRef<PeerMessage>> resolve;
  private Set<ActorRef<PeerMessage>> peers = Set.of();
  private final Map<Integer, ActorRef<PeerMessage>> peerByIndex = new HashMap<>();
  private final Map<Integer, PeerMessage.HeartbeatInfo> heartbeats = new HashMap<>();
  private long badHeartbeats;

  PeerDirectory(
      Committee committee,
      int self,
      Secp256k1 backend,
      Function<String, ActorRef<PeerMessage>> resolve) {
    this.committee = committee;
    this.self = self;
    this.backend = backend;
    this.resolve = resolve;
  }

  /** The Receptionist's listing changed; {@code own} is this guardian's inbox. */
  void listed(Set<ActorRef<PeerMessage>> listed, ActorRef<PeerMessage> own) {
    Set<ActorRef<PeerMessage>> s = new HashSet<>(listed);
    s.remove(own);
    peers = Set.copyOf(s);
    peerByIndex.values().removeIf(r -> !peers.contains(r));
  }

  Set<ActorRef<PeerMessage>> peers() {
    return peers;
  }

  /**
   * The inboxes a message for member {@code peer} goes to: its own when a heartbeat told which it
   * is; otherwise (no heartbeat yet, or it restarted and its new incarnation has not sent one)
   * every inbox not known to be another member's. Empty when it is not in the cluster now.
   */
  List<ActorRef<PeerMessage>> inboxesOf(int peer) {
    ActorRef<PeerMessage> ref = peerByIndex.get(peer);
    if (ref != null) return List.of(ref);
    List<ActorRef<PeerMessage>> out = new ArrayList<>();
    for (ActorRef<PeerMessage> p : peers) if (!peerByIndex.containsValue(p)) out.add(p);
    return out;
  }

  /**
   * A peer's heartbeat: kept if signed by the member it names and fresh; counted as bad otherwise.
   */
  void onHeartbeat(PeerMessage.Heartbeat h, long nowMillis) {
    PeerMessage.HeartbeatInfo info = h.info();
    int i = info.signerIndex();
    if (info.committeeIndex() != committee.index() || i < 0 || i >= committee.size() || i == self) {
      badHeartbeats++;
      return;
    }
    Address a;
    try {
      a =
          h.signature().isCanonical()
              ? backend.recoverAddress(WireCodec.heartbeatDigest(h.content()), h.signature())
              : null;
    } catch (RuntimeException e) {
      a = null;
    }
    if (a == null || !a.equals(committee.member(i))) {
      badHeartbeats++;
      return;
    }
    // A signed heartbeat proves liveness only when it is fresh: a replayed or delayed one must not
    // make a dead member look alive (nor move its inbox back to an old incarnation).
    PeerMessage.HeartbeatInfo last = heartbeats.get(i);
    if ((last != null && info.timeMillis() <= last.timeMillis())
        || Math.abs(nowMillis - info.timeMillis()) > MAX_HEARTBEAT_SKEW_MILLIS) {
      badHeartbeats++;
      return;
    }
    heartbeats.put(i, info);
    try {
      ActorRef<PeerMessage> ref = resolve.apply(info.inbox());
      if (peers.contains(ref)) peerByIndex.put(i, ref);
    } catch (RuntimeException e) {
      badHeartbeats++;
    }
  }

  Map<Integer, PeerMessage.HeartbeatInfo> heartbeats() {
    return heartbeats;
  }

  long badHeartbeats() {
    return badHeartbeats;
  }
}
