package dev.vigil.consensus.actor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.consensus.wire.PeerMessage;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.storage.EvidenceRecord;
import dev.vigil.storage.VigilDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies for evidence over a real RocksDB: a guardian answers a member's signed request only with a
 * body of exactly the digest asked for, rations each member, and completes its own evidence only
 * with a body it asked for whose digest and message id are the missing half's.
 */
class EvidenceBodiesTest {
  static final TestCommittee KEYS =
      TestCommittee.create(new Random(5), 1, 4, Secp256k1Backends.bouncyCastle());
  static final Executor NOW = Runnable::run;
  static final long T = 1_000_000L;

  @TempDir Path dir;
  ActorTestKit kit;
  VigilDatabase db;
  EvidenceBodyStore store;
  TestProbe<PeerMessage> requester;
  Observation o;
  Body other;

  @BeforeEach
  void setUp() {
    kit = ActorTestKit.create();
    db = VigilDatabase.open(dir);
    store = new EvidenceBodyStore(db);
    requester = kit.createTestProbe();
    o = Observations.generate(1, 9, 40).get(0);
    other =
        new Body(
            o.body().timestamp(),
            o.body().nonce() + 1,
            o.body().emitterChain(),
            o.body().emitterAddress(),
            o.body().sequence(),
            o.body().consistencyLevel(),
            o.body().payload());
  }

  @AfterEach
  void tearDown() {
    db.close();
    kit.shutdownTestKit();
  }

  SignedObservation byMember3(Body b, boolean withBody) {
    var so = SignedObservation.of(1, 3, b, KEYS.sign(3, b.digest()).signature(), o.txHash());
    return withBody ? so : so.withoutBody();
  }

  /** Evidence against member 3 with o's body known and the other's not. */
  void keepHalfKnownEvidence() {
    assertThat(
            store.append(
                byMember3(o.body(), true), byMember3(other, false), KEYS.committee().member(3)))
        .isTrue();
  }

  BodyRequests server() {
    return new BodyRequests(Secp256k1Backends.bouncyCastle(), store, NOW, s -> requester.ref());
  }

  PeerMessage.BodyRequest request(int member, int signedBy, Body b, long time) {
    var r =
        WireCodec.bodyRequest(
            1, member, b.messageId(), b.digest(), "x", time, KEYS.signer(signedBy));
    return r;
  }

  List<EvidenceRecord> kept() {
    List<EvidenceRecord> out = new ArrayList<>();
    db.evidence().forEach(out::add);
    return out;
  }

  @Test
  void aMembersSignedRequestGetsTheBodyOfExactlyThatDigestAndNothingElse() {
    keepHalfKnownEvidence();
    BodyRequests s = server();
    s.onRequest(request(1, 1, o.body(), T), KEYS.committee(), 0, T);
    assertThat(((PeerMessage.BodyReply) requester.receiveMessage()).body()).isEqualTo(o.body());

    // a digest this guardian holds no body for: no answer
    s.onRequest(request(1, 1, other, T), KEYS.committee(), 0, T);
    // signed by member 2 in member 1's name, or stale: refused
    s.onRequest(request(1, 2, o.body(), T), KEYS.committee(), 0, T);
    s.onRequest(request(1, 1, o.body(), T - 120_000), KEYS.committee(), 0, T);
    requester.expectNoMessage(Duration.ofMillis(200));
    assertThat(s.unknown.get()).isEqualTo(1);
    assertThat(s.refused.get()).isEqualTo(2);
    // another committee, or this guardian itself: malformed
    assertThat(s.onRequest(request(0, 0, o.body(), T), KEYS.committee(), 0, T)).isFalse();
  }

  @Test
  void eachMemberIsAnsweredAtMostItsBurstThenAtItsRate() {
    keepHalfKnownEvidence();
    BodyRequests s = server();
    for (int i = 0; i < BodyRequests.PER_MEMBER_BURST + 5; i++)
      s.onRequest(request(1, 1, o.body(), T), KEYS.committee(), 0, T);
    assertThat(s.served.get()).isEqualTo(BodyRequests.PER_MEMBER_BURST);
    assertThat(s.refused.get()).isEqualTo(5);
    // member 2 has a budget of its own; member 1 gets more a second later
    s.onRequest(request(2, 2, o.body(), T), KEYS.committee(), 0, T);
    s.onRequest(request(1, 1, o.body(), T + 1000), KEYS.committee(), 0, T + 1000);
    assertThat(s.served.get()).isEqualTo(BodyRequests.PER_MEMBER_BURST + 2);
  }

  @Test
  void missingBodiesAsksPeersAndTakesOnlyTheBodyOfTheMissingDigest() {
    keepHalfKnownEvidence();
    assertThat(store.missing(10))
        .containsExactly(new EvidenceBodyStore.Missing(other.messageId(), other.digest()));
    TestProbe<PeerMessage> peer = kit.createTestProbe();
    MissingBodies asking = new MissingBodies(store, KEYS.signer(0), NOW);
    asking.round(KEYS.committee(), 0, Set.of(peer.ref()), "inbox", T);
    var r = (PeerMessage.BodyRequest) peer.receiveMessage();
    assertThat(r.digest()).isEqualTo(other.digest());
    assertThat(r.requesterIndex()).isZero();
    // asked again only after the first retry delay
    asking.round(KEYS.committee(), 0, Set.of(peer.ref()), "inbox", T + 1000);
    peer.expectNoMessage(Duration.ofMillis(100));

    // a body of another digest for the same message, and one never asked for: refused
    Body third =
        new Body(
            other.timestamp(),
            other.nonce() + 1,
            other.emitterChain(),
            other.emitterAddress(),
            other.sequence(),
            other.consistencyLevel(),
            other.payload());
    asking.onReply(new PeerMessage.BodyReply(third));
    asking.onReply(new PeerMessage.BodyReply(Observations.generate(1, 10, 40).get(0).body()));
    assertThat(asking.repliesRefused.get()).isEqualTo(2);
    assertThat(store.missing(10)).hasSize(1);

    asking.onReply(new PeerMessage.BodyReply(other));
    assertThat(asking.completed.get()).isEqualTo(1);
    assertThat(store.missing(10)).isEmpty();
    List<SignedObservation> pair = WireCodec.decodeEquivocation(kept().get(0).evidence());
    assertThat(pair).allMatch(so -> so.body().isPresent());
    assertThat(pair.get(1).body()).contains(other);
    assertThat(kept()).as("completed in place, not kept twice").hasSize(1);
  }

  @Test
  void theSameEquivocationIsKeptOnceAndACopyWithTheMissingBodyCompletesIt() {
    keepHalfKnownEvidence();
    var signer = KEYS.committee().member(3);
    assertThat(store.append(byMember3(o.body(), false), byMember3(other, false), signer))
        .as("the same two digests, knowing less")
        .isFalse();
    assertThat(store.append(byMember3(other, true), byMember3(o.body(), false), signer))
        .as("the same two digests, in the other order, with the missing body")
        .isTrue();
    assertThat(kept()).hasSize(1);
    assertThat(WireCodec.decodeEquivocation(kept().get(0).evidence()))
        .allMatch(so -> so.body().isPresent());
  }
}
