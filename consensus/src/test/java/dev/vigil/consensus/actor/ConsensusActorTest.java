package dev.vigil.consensus.actor;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.testing.InMemoryObservationSource;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.consensus.transport.PeerInbox;
import dev.vigil.consensus.wire.PeerMessage;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.storage.VigilDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The actor alone, as member 0 of a 4-member committee, on a local actor system with manual time. A
 * TestProbe registered under the committee's service key plays the peers.
 */
class ConsensusActorTest {
  static final TestCommittee KEYS =
      TestCommittee.create(new Random(41), 1, 4, Secp256k1Backends.bouncyCastle());
  static final List<Observation> OBS = Observations.generate(4, 41, 24);

  @TempDir Path dir;
  ActorTestKit kit;
  ManualTime time;
  AtomicLong clock = new AtomicLong(1_000_000);
  VigilDatabase db;
  TestProbe<PeerMessage> peers;
  ConsensusSettings settings;
  InMemoryObservationSource source = new InMemoryObservationSource();

  @BeforeEach
  void setUp() {
    kit =
        ActorTestKit.create(
            ManualTime.config()
                .withFallback(
                    ConfigFactory.parseString(
                        """
        pekko.actor.provider = local
        vigil.consensus.batch-delay = 50ms
        vigil.consensus.retry-initial = 1s
        vigil.consensus.retry-jitter = 0
        vigil.consensus.heartbeat-interval = 1h
        """))
                .withFallback(ConfigFactory.load()));
    time = ManualTime.get(kit.system());
    settings = ConsensusSettings.fromConfig(kit.system().settings().config());
    db = VigilDatabase.open(dir);
    peers = kit.createTestProbe(PeerMessage.class);
    kit.system()
        .receptionist()
        .tell(Receptionist.register(PeerInbox.serviceKey("vigil-consensus-1"), peers.getRef()));
  }

  @AfterEach
  void tearDown() {
    kit.shutdownTestKit();
    db.close();
  }

  ActorRef<ConsensusActor.Command> spawn() {
    var guardian =
        new ConsensusActor.Guardian(
            "g0",
            "test",
            KEYS.committee(),
            0,
            KEYS.signer(0),
            db,
            Secp256k1Backends.bouncyCastle(),
            source);
    return kit.spawn(ConsensusActor.create(settings, guardian, clock::get));
  }

  /** Lets manual time pass for timers and the clock alike. */
  void advance(Duration d) {
    clock.addAndGet(d.toMillis());
    time.timePasses(d);
  }

  ConsensusStats stats(ActorRef<ConsensusActor.Command> actor) {
    TestProbe<ConsensusStats> p = kit.createTestProbe(ConsensusStats.class);
    actor.tell(new ConsensusActor.GetStats(p.getRef()));
    return p.receiveMessage();
  }

  void awaitPeer(ActorRef<ConsensusActor.Command> actor) {
    peers.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertThat(stats(actor).peers()).isEqualTo(1);
          return null;
        });
  }

  static SignedObservation signed(int i, Observation o) {
    return SignedObservation.of(1, i, o.body(), KEYS.sign(i, o.digest()).signature(), o.txHash());
  }

  /** A batch of member i's own signatures, signed by it, as it sends them. */
  static PeerMessage.ObservationBatch batch(int i, Observation... os) {
    List<SignedObservation> entries = new java.util.ArrayList<>();
    for (Observation o : os) entries.add(signed(i, o));
    return WireCodec.batch(1, i, entries, KEYS.signer(i));
  }

  /** Waits (in real time, for the blocking dispatcher) while nudging the batch timer along. */
  <T extends PeerMessage> T expectBatch(Class<T> type) {
    for (int k = 0; k < 100; k++) {
      advance(Duration.ofMillis(50));
      PeerMessage got = null;
      try {
        got = peers.expectMessageClass(PeerMessage.class, Duration.ofMillis(100));
      } catch (AssertionError none) {
        continue;
      }
      if (type.isInstance(got)) return type.cast(got);
    }
    throw new AssertionError("no " + type.getSimpleName() + " sent to peers");
  }

  @Test
  void signsBroadcastsInABatchAndAttestsOnceAQuorumOfPeersHasSigned() {
    var actor = spawn();
    awaitPeer(actor);
    Observation o = OBS.get(0);
    actor.tell(new ConsensusActor.Observe(o));

    var own = expectBatch(PeerMessage.ObservationBatch.class);
    assertThat(own.observations())
        .singleElement()
        .satisfies(
            so -> {
              assertThat(so.signerIndex()).isZero();
              assertThat(so.digest()).isEqualTo(o.digest());
            });
    assertThat(db.signingRecords().get(o.messageId()))
        .as("the guard recorded the digest before signing")
        .isPresent();

    actor.tell(new ConsensusActor.FromPeer(batch(1, o)));
    actor.tell(new ConsensusActor.FromPeer(batch(2, o)));
    var sent = expectBatch(PeerMessage.AttestationBatch.class);
    Attestation a = sent.attestations().get(0);
    assertThat(a.signatures()).extracting(GuardianSignature::signerIndex).containsExactly(0, 1, 2);
    assertThat(new AttestationVerifier(CommitteeHistory.of(KEYS.committee())).verify(a).isValid())
        .isTrue();
    peers.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertThat(db.attestations().get(o.messageId())).as("stored").isPresent();
          assertThat(db.pendingOwn().get(o.messageId())).as("no longer pending").isEmpty();
          return null;
        });
  }

  @Test
  void garbageForgedBatchesAndReplaysAreDroppedAndChargedOnlyToTheirAuthenticatedSender() {
    var actor = spawn();
    Observation o = OBS.get(0);
    actor.tell(
        new ConsensusActor.FromPeer(
            new PeerMessage.Undecodable("SignedObservationBatch.v1", 12, "junk")));
    // Member 2's real signature, in a batch that names member 2 but is signed with member 1's key
    // (or an outsider's): dropped whole, even the valid entry, and charged to nobody.
    actor.tell(
        new ConsensusActor.FromPeer(WireCodec.batch(1, 2, List.of(signed(2, o)), KEYS.signer(1))));
    // Member 2, authenticated, presents member 1's real signature as its own (a replay of 1's
    // public signature): charged to 2, never to 1.
    SignedObservation replay =
        SignedObservation.of(1, 2, o.body(), KEYS.sign(1, o.digest()).signature(), o.txHash());
    actor.tell(new ConsensusActor.FromPeer(WireCodec.batch(1, 2, List.of(replay), KEYS.signer(2))));
    // A batch of another committee, properly signed by member 1.
    SignedObservation oldCommittee =
        SignedObservation.of(0, 1, o.body(), KEYS.sign(1, o.digest()).signature(), o.txHash());
    actor.tell(
        new ConsensusActor.FromPeer(WireCodec.batch(0, 1, List.of(oldCommittee), KEYS.signer(1))));
    peers.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          ConsensusStats s = stats(actor);
          assertThat(s.undecodableMessages()).isEqualTo(1);
          assertThat(s.batchesUnauthenticated())
              .as("the forged batch and the other committee's")
              .isEqualTo(2);
          assertThat(s.aggregation().impersonationsBySigner())
              .as("the replay is charged to member 2, who sent it")
              .containsExactly(0L, 0L, 1L, 0L);
          assertThat(s.aggregation().invalidBySigner()).containsOnly(0L);
          assertThat(s.aggregation().acceptedBySigner()).containsOnly(0L);
          return null;
        });
  }

  @Test
  void withoutQuorumItRetriesWithAnObservationRequest() {
    var actor = spawn();
    awaitPeer(actor);
    Observation o = OBS.get(1);
    actor.tell(new ConsensusActor.Observe(o));
    expectBatch(PeerMessage.ObservationBatch.class);
    advance(Duration.ofMillis(1100));
    PeerMessage.ObservationRequest r = expectBatch(PeerMessage.ObservationRequest.class);
    assertThat(r.txHash()).isEqualTo(o.txHash());
    assertThat(r.chain()).isEqualTo(o.chain());
    assertThat(r.requesterIndex()).isZero();
  }

  @Test
  void aReReadRequestIsServedOnlyWhenSignedByTheMemberItNamesAndFresh() {
    var actor = spawn();
    awaitPeer(actor);
    Observation o = OBS.get(3);
    source.add(o);
    long now = clock.get();
    // member 2 asks for a re-read in member 1's name, with its own key (a replay of 1's
    // signatures under another index is the same: the signature does not recover to 1)
    var forged = WireCodec.request(1, 1, o.chain(), o.txHash(), "", now, KEYS.signer(2));
    var stale = WireCodec.request(1, 1, o.chain(), o.txHash(), "", now - 120_000, KEYS.signer(1));
    actor.tell(new ConsensusActor.FromPeer(forged));
    actor.tell(new ConsensusActor.FromPeer(stale));
    peers.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          ConsensusStats st = stats(actor);
          assertThat(st.requestsRefused()).as("forged and stale requests refused").isEqualTo(2);
          assertThat(st.requestsServed()).as("nothing re-read for them").isZero();
          return null;
        });

    actor.tell(
        new ConsensusActor.FromPeer(
            WireCodec.request(1, 1, o.chain(), o.txHash(), "", now, KEYS.signer(1))));
    PeerMessage.ObservationBatch b = expectBatch(PeerMessage.ObservationBatch.class);
    assertThat(b.observations())
        .as("the re-read message, signed by this guardian, goes to the peers")
        .anySatisfy(so -> assertThat(so.messageId()).isEqualTo(o.messageId()));
    assertThat(stats(actor).requestsServed()).isEqualTo(1);
  }

  @Test
  void aRestartedActorRebroadcastsItsPendingObservations() {
    var first = spawn();
    awaitPeer(first);
    Observation o = OBS.get(2);
    first.tell(new ConsensusActor.Observe(o));
    expectBatch(PeerMessage.ObservationBatch.class);
    peers.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertThat(db.pendingOwn().get(o.messageId())).isPresent();
          return null;
        });
    kit.stop(first);

    var second = spawn();
    awaitPeer(second);
    var again = expectBatch(PeerMessage.ObservationBatch.class);
    assertThat(again.observations())
        .singleElement()
        .satisfies(so -> assertThat(so.digest()).isEqualTo(o.digest()));
  }

  @Test
  void anObserversHandOverCompletesOnlyOnceTheObservationWouldSurviveACrash() {
    var actor = spawn();
    awaitPeer(actor);
    Observation o = OBS.get(3);
    // What the store holds at the very moment each hand-over completes (a SIGKILL could come next).
    var first = new java.util.concurrent.CompletableFuture<Void>();
    var again = new java.util.concurrent.CompletableFuture<Void>();
    var atFirst =
        first.thenApply(
            v ->
                db.pendingOwn().get(o.messageId()).isPresent()
                    && db.signingRecords().get(o.messageId()).isPresent());
    var atAgain = again.thenApply(v -> db.pendingOwn().get(o.messageId()).isPresent());
    actor.tell(new ConsensusActor.Observe(o, first));
    actor.tell(
        new ConsensusActor.Observe(
            o, again)); // the same message read twice while it is being signed
    awaitCompleted(first);
    awaitCompleted(again);
    assertThat(atFirst.join())
        .as("signing record and pending own observation written when the hand-over completed")
        .isTrue();
    assertThat(atAgain.join())
        .as("a second read of the same message is held until the same point")
        .isTrue();

    // Attested: a later read (an observer re-reading its last range after a restart) is held at
    // once.
    actor.tell(new ConsensusActor.FromPeer(batch(1, o)));
    actor.tell(new ConsensusActor.FromPeer(batch(2, o)));
    expectBatch(PeerMessage.AttestationBatch.class); // sent to member 3, who did not sign
    peers.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertThat(db.attestations().get(o.messageId())).isPresent();
          return null;
        });
    var late = new java.util.concurrent.CompletableFuture<Void>();
    actor.tell(new ConsensusActor.Observe(o, late));
    awaitCompleted(late);
    assertThat(stats(actor).aggregation().attested())
        .as("attested once, not signed again")
        .isEqualTo(1);
  }

  @Test
  void observationsHandedOverTogetherAreEachSignedAndAConflictingOneIsRefusedAlone() {
    List<Observation> many = Observations.generate(40, 43, 24);
    Observation conflicting = many.get(7);
    // This guardian signed another digest for that message identity before (e.g. before a reorg).
    db.signingRecords().checkAndRecord(conflicting.messageId(), OBS.get(0).digest());
    var actor = spawn();
    awaitPeer(actor);
    List<java.util.concurrent.CompletableFuture<Void>> held = new java.util.ArrayList<>();
    for (Observation o : many) {
      var f = new java.util.concurrent.CompletableFuture<Void>();
      held.add(f);
      actor.tell(new ConsensusActor.Observe(o, f));
    }
    java.util.Set<MessageId> broadcast = new java.util.HashSet<>();
    for (int k = 0; k < 20 && broadcast.size() < many.size() - 1; k++) {
      for (SignedObservation so : expectBatch(PeerMessage.ObservationBatch.class).observations()) {
        assertThat(so.signerIndex()).isZero();
        broadcast.add(so.messageId());
      }
    }
    assertThat(broadcast)
        .as("every other observation signed and sent")
        .containsExactlyInAnyOrderElementsOf(
            many.stream()
                .map(Observation::messageId)
                .filter(id -> !id.equals(conflicting.messageId()))
                .toList());
    for (var f : held) awaitCompleted(f);
    for (Observation o : many) {
      if (o == conflicting) continue;
      assertThat(db.signingRecords().get(o.messageId())).contains(o.digest());
      assertThat(db.pendingOwn().get(o.messageId()))
          .as("pending own observation written before the hand-over completed")
          .isPresent();
    }
    assertThat(db.signingRecords().get(conflicting.messageId()))
        .as("the earlier digest stays")
        .contains(OBS.get(0).digest());
    assertThat(db.pendingOwn().get(conflicting.messageId())).isEmpty();
    assertThat(stats(actor).aggregation().signRefused()).isEqualTo(1);
  }

  @Test
  void aReplayedOrStaleHeartbeatDoesNotMakeAMemberLookAlive() {
    var actor = spawn();
    java.util.function.LongFunction<PeerMessage> beat =
        t ->
            dev.vigil.consensus.wire.WireCodec.heartbeat(
                new PeerMessage.HeartbeatInfo(
                    "g1", 1, 1, java.util.Map.of(1, 7L), "test", t, "inbox-g1"),
                KEYS.signer(1));
    PeerMessage fresh = beat.apply(clock.get());
    actor.tell(new ConsensusActor.FromPeer(fresh));
    peers.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertThat(stats(actor).heartbeats()).containsKey(1);
          return null;
        });
    advance(Duration.ofSeconds(30));
    actor.tell(new ConsensusActor.FromPeer(fresh)); // the same signed heartbeat, replayed later
    actor.tell(
        new ConsensusActor.FromPeer(beat.apply(clock.get() - 120_000))); // signed two minutes ago
    peers.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          ConsensusStats s = stats(actor);
          assertThat(s.badHeartbeats()).isEqualTo(2);
          assertThat(s.heartbeats().get(1).timeMillis())
              .as("the last heartbeat is still the fresh one")
              .isEqualTo(fresh instanceof PeerMessage.Heartbeat h ? h.info().timeMillis() : -1);
          return null;
        });
    long next = clock.get();
    actor.tell(new ConsensusActor.FromPeer(beat.apply(next)));
    peers.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertThat(stats(actor).heartbeats().get(1).timeMillis()).isEqualTo(next);
          return null;
        });
  }

  /**
   * Nudges the batch timer (manual time) until the future completes, in at most 10 s of real time.
   */
  void awaitCompleted(java.util.concurrent.CompletableFuture<Void> f) {
    for (int k = 0; k < 200 && !f.isDone(); k++) {
      advance(Duration.ofMillis(50));
      try {
        f.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException notYet) {
        // keep nudging
      } catch (Exception e) {
        throw new AssertionError("hand-over failed", e);
      }
    }
    assertThat(f).as("hand-over completed").isCompleted();
  }
}
