package dev.vigil.consensus.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.signing.Secp256k1Backends;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The aggregation rules, without Pekko, crypto being done here by hand where a driver would. */
class AggregatorTest {
  static final TestCommittee KEYS =
      TestCommittee.create(new Random(5), 1, 4, Secp256k1Backends.bouncyCastle());
  static final List<Observation> OBS = Observations.generate(4, 3, 16);
  static final AggregatorConfig CONFIG =
      new AggregatorConfig(
          2,
          Duration.ofSeconds(60),
          Duration.ofSeconds(1),
          Duration.ofSeconds(8),
          0,
          100,
          Duration.ofSeconds(5),
          Duration.ofSeconds(1));

  Aggregator agg;

  @BeforeEach
  void setUp() {
    agg = new Aggregator(CONFIG, KEYS.committee(), 0, new SplittableRandom(1));
  }

  static SignedObservation signed(int signer, Observation o) {
    return signed(signer, signer, o.body(), o);
  }

  /** Signed with {@code key}'s key while claiming {@code claimed} as index. */
  static SignedObservation signed(int key, int claimed, Body body, Observation o) {
    GuardianSignature gs = KEYS.sign(key, body.digest());
    return SignedObservation.of(
        KEYS.committee().index(), claimed, body, gs.signature(), o.txHash());
  }

  static Body otherBody(Observation o) {
    Body b = o.body();
    return new Body(
        b.timestamp(),
        b.nonce() ^ 1,
        b.emitterChain(),
        b.emitterAddress(),
        b.sequence(),
        b.consistencyLevel(),
        b.payload());
  }

  /** Feeds a peer signature through arrival and (honest) verification, as the driver does. */
  List<Decision> deliverValid(SignedObservation so, long now) {
    List<Decision> arrived = agg.onPeerSignature(so, now);
    if (arrived.stream().noneMatch(d -> d instanceof Decision.VerifySignature)) return arrived;
    return agg.onPeerSignatureVerified(so, Verification.VALID, now);
  }

  void observeAndSign(Observation o, long now) {
    List<Decision> ds = agg.onLocalObservation(o, -1, now);
    assertThat(ds).first().isEqualTo(new Decision.Sign(o, o.digest()));
    agg.onOwnSigned(signed(0, o), now);
  }

  @Test
  void aSignThatFailedOnTheStoreIsIssuedAgainWhenTheMessageIsObservedAgain() {
    Observation o = OBS.get(0);
    assertThat(agg.onLocalObservation(o, -1, 0)).containsExactly(new Decision.Sign(o, o.digest()));
    // Observed again while the first sign is still in flight: no second sign.
    assertThat(agg.onLocalObservation(o, -1, 1)).isEmpty();

    assertThat(agg.onSignFailed(o.messageId()))
        .isEmpty(); // e.g. the disk is full: nothing was signed
    assertThat(agg.onLocalObservation(o, -1, 2)).containsExactly(new Decision.Sign(o, o.digest()));
    assertThat(agg.onLocalObservation(o, -1, 3)).as("once, not on every re-read").isEmpty();

    assertThat(agg.onOwnSigned(signed(0, o), 4)).first().isInstanceOf(Decision.Broadcast.class);
    assertThat(agg.onSignFailed(o.messageId()))
        .as("a late failure report after a signature changes nothing")
        .isEmpty();
    assertThat(agg.onLocalObservation(o, -1, 5)).isEmpty();
  }

  @Test
  void quorumOnlyOnceTheDigestIsObservedLocally() {
    Observation o = OBS.get(0);
    assertThat(deliverValid(signed(1, o), 0)).isEmpty();
    assertThat(deliverValid(signed(2, o), 0)).isEmpty();
    assertThat(agg.isAttested(o.messageId())).isFalse();

    assertThat(agg.onLocalObservation(o, -1, 10)).containsExactly(new Decision.Sign(o, o.digest()));
    List<Decision> ds = agg.onOwnSigned(signed(0, o), 10);

    assertThat(ds).hasSize(2);
    assertThat(ds.get(0)).isInstanceOf(Decision.Broadcast.class);
    Decision.Attested a = (Decision.Attested) ds.get(1);
    assertThat(a.attestation().signatures())
        .extracting(GuardianSignature::signerIndex)
        .containsExactly(0, 1, 2);
    assertThat(a.attestation().body()).isEqualTo(o.body());
    assertThat(a.sendTo().isEmpty()).as("nobody asked").isTrue();
    assertThat(a.store()).isTrue();
    assertThat(agg.onTick(1009)).isEmpty();
    assertThat(agg.onTick(1010))
        .as("the member whose signature is missing gets it after the delay")
        .containsExactly(new Decision.SendAttestation(a.attestation(), 3));
    assertThat(agg.onTick(5000)).isEmpty();
    assertThat(agg.stats().attestedByChain())
        .as("counted under its emitter chain, for the metrics")
        .containsExactly(java.util.Map.entry(o.messageId().emitterChain(), 1L));
    assertThat(agg.stats().attestedFromPeersByChain()).isEmpty();
  }

  /** As decoded from the wire: identity and digest as claimed, no body. */
  static SignedObservation fromWire(SignedObservation so) {
    return so.withoutBody();
  }

  @Test
  void evidenceCarriesTheBodiesThisGuardianKnowsForTheDigestsSigned() {
    Observation o = OBS.get(0);
    observeAndSign(o, 0);
    SignedObservation first = fromWire(signed(1, 1, otherBody(o), o));
    SignedObservation second = fromWire(signed(1, o));
    deliverValid(first, 0);
    List<Decision> ds = deliverValid(second, 0);
    assertThat(ds)
        .singleElement()
        .isInstanceOfSatisfying(
            Decision.Evidence.class,
            e -> {
              assertThat(e.first()).isEqualTo(first);
              assertThat(e.first().body()).as("another body: not known here").isEmpty();
              assertThat(e.second()).isEqualTo(second);
              assertThat(e.second().body())
                  .as("the body observed here, whose digest member 1 signed")
                  .contains(o.body());
            });
  }

  @Test
  void signaturesForAnotherDigestThanTheLocalOneDoNotCount() {
    Observation o = OBS.get(0);
    observeAndSign(o, 0);
    assertThat(deliverValid(signed(1, 1, otherBody(o), o), 0)).isEmpty();
    assertThat(deliverValid(signed(2, 2, otherBody(o), o), 0)).isEmpty();
    assertThat(agg.isAttested(o.messageId())).isFalse();
    assertThat(agg.stats().conflictsWithLocal()).isEqualTo(2);
    assertThat(deliverValid(signed(3, o), 0)).isEmpty(); // 0 and 3 for the local digest: 2 < 3
  }

  static Stream<Arguments> droppedOnArrival() {
    Observation o = OBS.get(0);
    return Stream.of(
        Arguments.of(
            "wrong committee index",
            SignedObservation.of(2, 1, o.body(), KEYS.sign(1, o.digest()).signature(), o.txHash()),
            (Function<AggregationStats, Long>) AggregationStats::wrongCommittee),
        Arguments.of(
            "signer index outside the committee",
            signed(1, 9, o.body(), o),
            (Function<AggregationStats, Long>) AggregationStats::notMember),
        Arguments.of(
            "claims our own index",
            signed(1, 0, o.body(), o),
            (Function<AggregationStats, Long>) AggregationStats::duplicates));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("droppedOnArrival")
  void dropsAndCountsOnArrivalWithoutVerifying(
      String rule, SignedObservation so, Function<AggregationStats, Long> counter) {
    assertThat(agg.onPeerSignature(so, 0)).isEmpty();
    assertThat(counter.apply(agg.stats())).isEqualTo(1);
  }

  static Stream<Arguments> rejectedOnVerification() {
    return Stream.of(
        Arguments.of(
            "recovers to no member",
            Verification.NOT_A_MEMBER,
            (Function<AggregationStats, Long>) AggregationStats::invalidSignatures),
        Arguments.of(
            "member 3's real signature sent by member 1 as its own",
            Verification.impersonatedBy(3),
            (Function<AggregationStats, Long>) s -> s.impersonationsBySigner().get(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedOnVerification")
  void invalidSignaturesAreCountedAndNeverCount(
      String rule, Verification v, Function<AggregationStats, Long> counter) {
    Observation o = OBS.get(0);
    observeAndSign(o, 0);
    SignedObservation so = signed(1, o);
    assertThat(agg.onPeerSignature(so, 0)).containsExactly(new Decision.VerifySignature(so));
    assertThat(agg.onPeerSignatureVerified(so, v, 0)).isEmpty();
    assertThat(counter.apply(agg.stats())).isEqualTo(1);
    assertThat(agg.stats().acceptedBySigner().get(1)).isZero();
  }

  @Test
  void aSecondDigestFromOneMemberIsEvidenceWithBothSignedObservations() {
    Observation o = OBS.get(0);
    SignedObservation first = signed(1, o);
    SignedObservation second = signed(1, 1, otherBody(o), o);
    deliverValid(first, 0);
    List<Decision> ds = deliverValid(second, 0);
    assertThat(ds).containsExactly(new Decision.Evidence(first, second));
    assertThat(agg.stats().equivocationsBySigner().get(1)).isEqualTo(1);
  }

  @Test
  void equivocationAgainstAnAttestedDigestIsEvidenceToo() {
    Observation o = OBS.get(0);
    observeAndSign(o, 0);
    deliverValid(signed(1, o), 0);
    deliverValid(signed(2, o), 0);
    assertThat(agg.isAttested(o.messageId())).isTrue();
    SignedObservation conflicting = signed(1, 1, otherBody(o), o);
    List<Decision> ds = deliverValid(conflicting, 0);
    assertThat(ds)
        .singleElement()
        .isInstanceOfSatisfying(
            Decision.Evidence.class,
            e -> {
              assertThat(e.first().digest()).isEqualTo(o.digest());
              assertThat(e.second()).isEqualTo(conflicting);
            });
  }

  @Test
  void signaturesForUnseenMessagesAreCappedPerPeer() {
    for (int i = 0; i < 3; i++) deliverValid(signed(1, OBS.get(i)), 0);
    AggregationStats s = agg.stats();
    assertThat(s.pendingUnseen()).isEqualTo(2);
    assertThat(s.capDroppedBySigner().get(1)).isEqualTo(1);
    // Another member still has its own quota.
    deliverValid(signed(2, OBS.get(2)), 0);
    assertThat(agg.stats().pendingUnseen()).isEqualTo(3);
    // Observing locally frees the quota.
    observeAndSign(OBS.get(0), 0);
    deliverValid(signed(1, OBS.get(3)), 0);
    assertThat(agg.stats().capDroppedBySigner().get(1)).isEqualTo(1);
  }

  @Test
  void surplusSignaturesAreNotVerified() {
    Observation o = OBS.get(0);
    agg.onLocalObservation(o, -1, 0); // signing in flight
    assertThat(agg.onPeerSignature(signed(1, o), 0)).hasSize(1);
    assertThat(agg.onPeerSignature(signed(2, o), 0)).hasSize(1);
    assertThat(agg.onPeerSignature(signed(3, o), 0))
        .as("q-1 peers already being checked")
        .isEmpty();
    assertThat(agg.stats().late()).isEqualTo(1);
  }

  @Test
  void aForgeryRacingTheRealSignatureDelaysNothing() {
    Observation o = OBS.get(0);
    agg.onLocalObservation(o, -1, 0);
    SignedObservation forged1 = signed(3, 1, o.body(), o); // member 3's key under 1's and 2's index
    SignedObservation forged2 = signed(3, 2, o.body(), o);
    SignedObservation real1 = signed(1, o);
    SignedObservation real2 = signed(2, o);
    assertThat(agg.onPeerSignature(forged1, 0)).hasSize(1);
    assertThat(agg.onPeerSignature(forged2, 0)).hasSize(1);
    assertThat(agg.onPeerSignature(real1, 0))
        .as("not a duplicate of the forgery: checked too")
        .containsExactly(new Decision.VerifySignature(real1));
    assertThat(agg.onPeerSignature(real2, 0)).containsExactly(new Decision.VerifySignature(real2));
    assertThat(agg.onPeerSignatureVerified(forged1, Verification.impersonatedBy(3), 0)).isEmpty();
    assertThat(agg.onPeerSignatureVerified(forged2, Verification.impersonatedBy(3), 0)).isEmpty();
    agg.onPeerSignatureVerified(real1, Verification.VALID, 0);
    agg.onPeerSignatureVerified(real2, Verification.VALID, 0);
    List<Decision> ds = agg.onOwnSigned(signed(0, o), 0);
    assertThat(ds).anyMatch(d -> d instanceof Decision.Attested);
    assertThat(agg.stats().impersonationsBySigner())
        .as("charged to the members that sent them")
        .containsExactly(0L, 1L, 1L, 0L);
  }

  @Test
  void forgeriesDoNotEatAnHonestMembersQuota() {
    for (int round = 0; round < 3; round++) {
      for (int k = 0; k < 2; k++) {
        Observation o = OBS.get(k);
        SignedObservation forged = signed(3, 1, o.body(), o);
        SignedObservation real = signed(1, o);
        agg.onPeerSignature(forged, round);
        agg.onPeerSignature(real, round);
        agg.onPeerSignatureVerified(real, Verification.VALID, round);
        agg.onPeerSignatureVerified(forged, Verification.impersonatedBy(3), round);
      }
      assertThat(agg.stats().capDroppedBySigner().get(1)).as("round %d", round).isZero();
      agg = fresh(agg, round);
    }
  }

  /**
   * A new aggregator after each round would hide leaks; keep the same one but forget the messages.
   */
  private Aggregator fresh(Aggregator a, int round) {
    a.onTick(round + CONFIG.giveUpAfter().toMillis() + 1);
    return a;
  }

  @Test
  void aSpareIsCheckedWhenASignatureItStoodBehindFails() {
    Observation o = OBS.get(0);
    agg.onLocalObservation(o, -1, 0);
    SignedObservation forged = signed(3, 1, o.body(), o);
    SignedObservation real2 = signed(2, o);
    SignedObservation real3 = signed(3, o);
    agg.onPeerSignature(forged, 0);
    agg.onPeerSignature(real2, 0);
    assertThat(agg.onPeerSignature(real3, 0)).as("surplus while two are being checked").isEmpty();
    assertThat(agg.onPeerSignatureVerified(forged, Verification.impersonatedBy(3), 0))
        .containsExactly(new Decision.VerifySignature(real3));
  }

  @Test
  void retriesBackOffExponentiallyAndGiveUp() {
    Observation o = OBS.get(0);
    observeAndSign(o, 0);
    assertThat(agg.onTick(999)).isEmpty();
    assertThat(agg.onTick(1000))
        .singleElement()
        .isInstanceOfSatisfying(Decision.Retry.class, r -> assertThat(r.attempt()).isZero());
    assertThat(agg.onTick(2999)).isEmpty();
    assertThat(agg.onTick(3000))
        .singleElement()
        .isInstanceOfSatisfying(Decision.Retry.class, r -> assertThat(r.attempt()).isEqualTo(1));
    assertThat(agg.onTick(6999)).isEmpty();
    assertThat(agg.onTick(7000)).singleElement().isInstanceOf(Decision.Retry.class);
    assertThat(agg.onTick(14_999)).isEmpty();
    assertThat(agg.onTick(15_000))
        .as("capped at retry-max 8s")
        .singleElement()
        .isInstanceOf(Decision.Retry.class);
    assertThat(agg.onTick(60_000)).containsExactly(new Decision.GiveUp(o.messageId(), o.digest()));
    assertThat(agg.isPending(o.messageId())).isFalse();
    assertThat(agg.stats().gaveUp()).isEqualTo(1);
  }

  @Test
  void jitterKeepsDelaysWithinTheConfiguredBand() {
    var jittery =
        new Aggregator(
            new AggregatorConfig(
                2,
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                Duration.ofSeconds(8),
                0.2,
                100,
                Duration.ofSeconds(5),
                Duration.ofSeconds(1)),
            KEYS.committee(),
            0,
            new SplittableRandom(9));
    for (int attempt = 0; attempt < 6; attempt++) {
      long base = Math.min(8000, 1000L << attempt);
      for (int k = 0; k < 50; k++)
        assertThat(jittery.backoff(attempt))
            .isBetween(Math.round(base * 0.8), Math.round(base * 1.2));
    }
  }

  @Test
  void aPeerWhoseSignatureCameInTimeGetsNoCopy() {
    Observation o = OBS.get(0);
    observeAndSign(o, 0);
    deliverValid(signed(1, o), 0);
    deliverValid(signed(2, o), 0); // attested at t=0
    assertThat(agg.onPeerSignature(signed(3, o), 500)).as("its first broadcast").isEmpty();
    assertThat(agg.onTick(2000)).as("it observed: no copy").isEmpty();
  }

  @Test
  void aRetransmittingPeerGetsTheAttestationAtMostOncePerInterval() {
    Observation o = OBS.get(0);
    observeAndSign(o, 0);
    deliverValid(signed(1, o), 0);
    deliverValid(signed(2, o), 0); // attested at t=0
    assertThat(agg.onPeerSignature(signed(3, o), 500)).isEmpty();
    assertThat(agg.onPeerSignature(signed(3, o), 5000))
        .as("a retry: it lacks quorum")
        .singleElement()
        .isInstanceOf(Decision.SendAttestation.class);
    assertThat(agg.onPeerSignature(signed(3, o), 6000)).isEmpty();
    assertThat(agg.onPeerSignature(signed(3, o), 10_000)).hasSize(1);
  }

  @Test
  void aRequestForAnAttestedMessageIsAnsweredWithTheAttestation() {
    Observation o = OBS.get(0);
    observeAndSign(o, 0);
    deliverValid(signed(1, o), 0);
    deliverValid(signed(2, o), 0);
    assertThat(agg.onLocalObservation(o, 3, 10))
        .singleElement()
        .isInstanceOfSatisfying(
            Decision.SendAttestation.class, s -> assertThat(s.peer()).isEqualTo(3));
  }

  @Test
  void aValidAttestationFromAPeerIsAdoptedAndAnInvalidOneCounted() {
    Observation o = OBS.get(0);
    Attestation a = KEYS.attest(o.body(), 1, 2, 3);
    assertThat(agg.onPeerAttestation(a, 0))
        .containsExactly(new Decision.VerifyAttestation(a, new java.util.BitSet()));
    assertThat(agg.onPeerAttestationVerified(a, false, 0)).isEmpty();
    assertThat(agg.stats().invalidAttestations()).isEqualTo(1);
    List<Decision> ds = agg.onPeerAttestationVerified(a, true, 0);
    assertThat(ds)
        .singleElement()
        .isInstanceOfSatisfying(Decision.Attested.class, x -> assertThat(x.store()).isTrue());
    assertThat(agg.stats().attestedFromPeersByChain())
        .containsExactly(java.util.Map.entry(o.messageId().emitterChain(), 1L));
    assertThat(agg.stats().attestedByChain()).isEmpty();
    assertThat(agg.onPeerAttestation(a, 0)).as("already held").isEmpty();
    // Our own late observation then signs nothing.
    assertThat(agg.onLocalObservation(o, -1, 1)).isEmpty();
  }

  @Test
  void restoredOwnObservationsAreRebroadcastAtOnce() {
    Observation o = OBS.get(1);
    SignedObservation own = signed(0, o);
    assertThat(agg.onRestoredOwn(o, own, 0)).containsExactly(new Decision.Retry(own, o, 0));
    assertThat(agg.isPending(o.messageId())).isTrue();
  }

  // ---------------------------------------------------------------- floods

  /**
   * Budget of 3 invalid signatures, 1 per second back; caps of 2 unseen messages and 300 body
   * bytes.
   */
  static final AggregatorConfig FLOOD = flood(10_000);

  /** Small caps and budget: 2 unseen messages and {@code unseenBytes} per peer, a burst of 3. */
  static AggregatorConfig flood(long unseenBytes) {
    return new AggregatorConfig(
        2,
        Duration.ofSeconds(60),
        Duration.ofSeconds(1),
        Duration.ofSeconds(8),
        0,
        100,
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        unseenBytes,
        3,
        1.0);
  }

  static List<Observation> unseen(int count, int payload) {
    return Observations.generate(count, 70 + payload, payload);
  }

  /** A signature under {@code claimed}'s index that the driver found to recover to no member. */
  List<Decision> deliverInvalid(Aggregator a, int claimed, Observation o, long now) {
    SignedObservation so =
        SignedObservation.of(
            KEYS.committee().index(),
            claimed,
            o.body(),
            KEYS.sign(claimed, otherBody(o).digest()).signature(),
            o.txHash());
    List<Decision> arrived = a.onPeerSignature(so, now);
    if (arrived.stream().noneMatch(d -> d instanceof Decision.VerifySignature)) return arrived;
    return a.onPeerSignatureVerified(so, Verification.NOT_A_MEMBER, now);
  }

  @Test
  void aSignerWhoseSignaturesKeepFailingIsSuspectOnceThenClearedWhenQuiet() {
    Aggregator a = new Aggregator(FLOOD, KEYS.committee(), 0, new SplittableRandom(1));
    List<Observation> msgs = unseen(6, 8);
    assertThat(deliverInvalid(a, 3, msgs.get(0), 0)).isEmpty();
    assertThat(deliverInvalid(a, 3, msgs.get(1), 0)).isEmpty();
    assertThat(deliverInvalid(a, 3, msgs.get(2), 0))
        .as("the third empties a budget of 3")
        .containsExactly(new Decision.Suspected(3, 3));
    assertThat(a.isSuspect(3)).isTrue();
    assertThat(a.stats().suspects()).containsExactly(3);
    assertThat(a.stats().invalidBySigner()).containsExactly(0L, 0L, 0L, 3L);

    // Suspect: its signatures for messages not observed here are dropped without a check, and
    // counted.
    SignedObservation unchecked = signed(3, msgs.get(3));
    assertThat(a.onPeerSignature(unchecked, 100)).isEmpty();
    assertThat(a.stats().suspectDroppedBySigner().get(3)).isEqualTo(1);
    assertThat(a.stats().pendingUnseen()).isZero();
    // ... for observed ones they are still checked, last.
    Observation seen = msgs.get(4);
    a.onLocalObservation(seen, -1, 100);
    SignedObservation forSeen = signed(3, seen);
    assertThat(a.onPeerSignature(forSeen, 100))
        .containsExactly(new Decision.VerifySignature(forSeen));
    assertThat(a.priorityOf(forSeen)).isEqualTo(Priority.SUSPECT);
    // Other members are not affected.
    assertThat(a.priorityOf(signed(1, msgs.get(5)))).isEqualTo(Priority.UNSEEN);
    assertThat(a.priorityOf(signed(1, seen))).isEqualTo(Priority.OBSERVED);

    assertThat(a.onTick(2_999))
        .as("budget not full yet (3 s at 1/s)")
        .noneMatch(d -> d instanceof Decision.Cleared);
    assertThat(a.onTick(3_000)).contains(new Decision.Cleared(3, 1));
    assertThat(a.isSuspect(3)).isFalse();
    assertThat(deliverInvalid(a, 3, msgs.get(0), 3_000))
        .as("a new episode needs a new burst")
        .isEmpty();
  }

  @Test
  void aReplayIsBudgetedAgainstTheMemberThatSentItNotTheKeyThatMadeIt() {
    Aggregator a = new Aggregator(FLOOD, KEYS.committee(), 0, new SplittableRandom(1));
    List<Decision> out = new java.util.ArrayList<>();
    for (Observation o : unseen(3, 8)) {
      // member 1 (the batch's authenticated sender) presents member 3's public signatures as its
      // own
      SignedObservation replay = signed(3, 1, o.body(), o);
      a.onPeerSignature(replay, 0);
      out.addAll(a.onPeerSignatureVerified(replay, Verification.impersonatedBy(3), 0));
    }
    assertThat(out).containsExactly(new Decision.Suspected(1, 3));
    assertThat(a.isSuspect(3)).as("member 3 sent none of them").isFalse();
    assertThat(a.stats().impersonationsBySigner()).containsExactly(0L, 3L, 0L, 0L);
    assertThat(a.stats().invalidBySigner()).containsOnly(0L);
  }

  @Test
  void unseenSignaturesAreCappedInBytesTooAndThePeakNeverPassesTheCaps() {
    // Signatures travel without bodies: each weighs ENTRY_BYTES; one fits under this cap, two do
    // not.
    var config = flood(Aggregator.ENTRY_BYTES + 100);
    Aggregator a = new Aggregator(config, KEYS.committee(), 0, new SplittableRandom(1));
    List<Observation> big = unseen(3, 150);
    SignedObservation first = signed(1, big.get(0));
    assertThat(a.onPeerSignature(first, 0)).hasSize(1);
    assertThat(a.stats().unseenBytesBySigner().get(1))
        .as("counted while being checked")
        .isEqualTo((long) Aggregator.ENTRY_BYTES);
    assertThat(a.onPeerSignature(signed(1, big.get(1)), 0)).as("over the byte cap").isEmpty();
    a.onPeerSignatureVerified(first, Verification.VALID, 0);
    assertThat(a.stats().capDroppedBySigner().get(1)).isEqualTo(1);
    assertThat(a.stats().unseenBySigner().get(1)).isEqualTo(1);
    for (Observation o : unseen(20, 0)) deliverValid(a, signed(2, o));
    AggregationStats s = a.stats();
    assertThat(s.unseenPeakBySigner()).allSatisfy(peak -> assertThat(peak).isLessThanOrEqualTo(2L));
    assertThat(s.unseenBySigner().get(2)).as("one fits under the byte cap").isEqualTo(1);
    assertThat(s.capDroppedBySigner().get(2)).isEqualTo(19);
    // Observing the big one frees member 1's bytes.
    a.onLocalObservation(big.get(0), -1, 1);
    assertThat(a.stats().unseenBytesBySigner().get(1)).isZero();
  }

  private static void deliverValid(Aggregator a, SignedObservation so) {
    if (a.onPeerSignature(so, 0).stream().anyMatch(d -> d instanceof Decision.VerifySignature))
      a.onPeerSignatureVerified(so, Verification.VALID, 0);
  }

  static Stream<Arguments> priorities() {
    return Stream.of(
        Arguments.of(
            "observed here, member in good standing", true, false, false, Priority.OBSERVED),
        Arguments.of("not observed here yet", false, false, false, Priority.UNSEEN),
        Arguments.of("observed here, suspect member", true, true, false, Priority.SUSPECT),
        Arguments.of("not observed here, suspect member", false, true, false, Priority.UNNEEDED),
        Arguments.of("attested meanwhile", true, false, true, Priority.UNNEEDED));
  }

  @ParameterizedTest(name = "{0}: {4}")
  @MethodSource("priorities")
  void checksAreOrderedByWhatTheyCanStillChange(
      String rule, boolean observed, boolean suspect, boolean attested, Priority expected) {
    Aggregator a = new Aggregator(FLOOD, KEYS.committee(), 0, new SplittableRandom(1));
    if (suspect) for (Observation o : unseen(3, 8)) deliverInvalid(a, 3, o, 0);
    Observation o = OBS.get(0);
    if (observed) observeAndSignOn(a, o);
    if (attested) {
      deliverValid(a, signed(1, o));
      deliverValid(a, signed(2, o));
      assertThat(a.isAttested(o.messageId())).isTrue();
    }
    assertThat(a.priorityOf(signed(3, o))).isEqualTo(expected);
  }

  private static void observeAndSignOn(Aggregator a, Observation o) {
    a.onLocalObservation(o, -1, 0);
    a.onOwnSigned(signed(0, o), 0);
  }

  @Test
  void theBacklogOfAMemberThatTurnsSuspectIsDroppedUncheckedAndGivesBackItsSlots() {
    Aggregator a = new Aggregator(FLOOD, KEYS.committee(), 0, new SplittableRandom(1));
    SignedObservation waiting = signed(3, OBS.get(1)); // queued by the driver, not checked yet
    assertThat(a.onPeerSignature(waiting, 0)).hasSize(1);
    assertThat(a.stats().unseenBySigner().get(3)).isEqualTo(1);
    for (Observation o : unseen(3, 8)) deliverInvalid(a, 3, o, 0);
    assertThat(a.priorityOf(waiting)).isEqualTo(Priority.UNNEEDED);
    assertThat(a.onVerificationSkipped(waiting, 0)).isEmpty();
    AggregationStats s = a.stats();
    assertThat(s.unseenBySigner().get(3)).isZero();
    assertThat(s.unseenBytesBySigner().get(3)).isZero();
    assertThat(s.pendingUnseen()).as("nothing else held it").isZero();
    assertThat(s.suspectDroppedBySigner().get(3)).isEqualTo(1);
  }

  @Test
  void aSuspectSignersPendingCheckDoesNotMakeAnHonestSignatureWaitAsASpare() {
    Aggregator a = new Aggregator(FLOOD, KEYS.committee(), 0, new SplittableRandom(1));
    for (Observation o : unseen(3, 8)) deliverInvalid(a, 3, o, 0);
    Observation o = OBS.get(0);
    a.onLocalObservation(o, -1, 0);
    SignedObservation junk =
        SignedObservation.of(
            KEYS.committee().index(),
            3,
            o.body(),
            KEYS.sign(2, o.digest()).signature(),
            o.txHash());
    assertThat(a.onPeerSignature(junk, 0)).as("checked, last").hasSize(1);
    assertThat(a.onPeerSignature(signed(1, o), 0)).hasSize(1);
    assertThat(a.onPeerSignature(signed(2, o), 0))
        .as("checked now, not a spare behind member 3's")
        .hasSize(1);
    assertThat(a.stats().late()).isZero();
  }

  @Test
  void aReplayedInvalidSignatureIsNotCheckedTwice() {
    Observation o = OBS.get(0);
    observeAndSign(o, 0);
    SignedObservation forged = signed(3, 1, o.body(), o);
    assertThat(agg.onPeerSignature(forged, 0)).hasSize(1);
    agg.onPeerSignatureVerified(forged, Verification.impersonatedBy(3), 0);
    assertThat(agg.onPeerSignature(forged, 1)).as("the same bytes again").isEmpty();
    SignedObservation real = signed(1, o);
    assertThat(agg.onPeerSignature(real, 1))
        .as("the real one is checked")
        .containsExactly(new Decision.VerifySignature(real));
  }

  @Test
  void aSuspectsCheckThatBecameSurplusWhileQueuedWaitsAsASpareInstead() {
    Aggregator a = new Aggregator(FLOOD, KEYS.committee(), 0, new SplittableRandom(1));
    for (Observation u : unseen(3, 8)) deliverInvalid(a, 3, u, 0);
    Observation o = OBS.get(0);
    a.onLocalObservation(o, -1, 0); // our own signature is being made
    SignedObservation s3 = signed(3, o);
    assertThat(a.onPeerSignature(s3, 0)).hasSize(1); // queued by the driver, last
    assertThat(a.priorityOf(s3)).isEqualTo(Priority.SUSPECT);
    deliverValid(a, signed(1, o));
    deliverValid(a, signed(2, o));
    assertThat(a.priorityOf(s3)).as("1 and 2 suffice with ours").isEqualTo(Priority.UNNEEDED);
    assertThat(a.onVerificationSkipped(s3, 0)).isEmpty();
    assertThat(a.stats().late()).isEqualTo(1);
    assertThat(a.stats().suspectDroppedBySigner()).containsOnly(0L);
    assertThat(a.onOwnSigned(signed(0, o), 0)).anyMatch(d -> d instanceof Decision.Attested);
  }
}
