package dev.vigil.consensus.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.consensus.bench.Observations;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
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
  static final TestCommittee KEYS = TestCommittee.create(new Random(5), 1, 4, Secp256k1Backends.bouncyCastle());
  static final List<Observation> OBS = Observations.generate(4, 3, 16);
  static final AggregatorConfig CONFIG = new AggregatorConfig(2, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(8), 0,
      100, Duration.ofSeconds(5), Duration.ofSeconds(1));

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
    return SignedObservation.of(KEYS.committee().index(), claimed, body, gs.signature(), o.txHash());
  }

  static Body otherBody(Observation o) {
    Body b = o.body();
    return new Body(b.timestamp(), b.nonce() ^ 1, b.emitterChain(), b.emitterAddress(), b.sequence(), b.consistencyLevel(), b.payload());
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

    assertThat(agg.onSignFailed(o.messageId())).isEmpty(); // e.g. the disk is full: nothing was signed
    assertThat(agg.onLocalObservation(o, -1, 2)).containsExactly(new Decision.Sign(o, o.digest()));
    assertThat(agg.onLocalObservation(o, -1, 3)).as("once, not on every re-read").isEmpty();

    assertThat(agg.onOwnSigned(signed(0, o), 4)).first().isInstanceOf(Decision.Broadcast.class);
    assertThat(agg.onSignFailed(o.messageId())).as("a late failure report after a signature changes nothing").isEmpty();
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
    assertThat(a.attestation().signatures()).extracting(GuardianSignature::signerIndex).containsExactly(0, 1, 2);
    assertThat(a.attestation().body()).isEqualTo(o.body());
    assertThat(a.sendTo().isEmpty()).as("nobody asked").isTrue();
    assertThat(a.store()).isTrue();
    assertThat(agg.onTick(1009)).isEmpty();
    assertThat(agg.onTick(1010)).as("the member whose signature is missing gets it after the delay")
        .containsExactly(new Decision.SendAttestation(a.attestation(), 3));
    assertThat(agg.onTick(5000)).isEmpty();
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
        Arguments.of("wrong committee index", SignedObservation.of(2, 1, o.body(), KEYS.sign(1, o.digest()).signature(), o.txHash()),
            (Function<AggregationStats, Long>) AggregationStats::wrongCommittee),
        Arguments.of("signer index outside the committee", signed(1, 9, o.body(), o),
            (Function<AggregationStats, Long>) AggregationStats::notMember),
        Arguments.of("claims our own index", signed(1, 0, o.body(), o),
            (Function<AggregationStats, Long>) AggregationStats::duplicates));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("droppedOnArrival")
  void dropsAndCountsOnArrivalWithoutVerifying(String rule, SignedObservation so, Function<AggregationStats, Long> counter) {
    assertThat(agg.onPeerSignature(so, 0)).isEmpty();
    assertThat(counter.apply(agg.stats())).isEqualTo(1);
  }

  static Stream<Arguments> rejectedOnVerification() {
    return Stream.of(
        Arguments.of("recovers to no member", Verification.NOT_A_MEMBER, (Function<AggregationStats, Long>) AggregationStats::invalidSignatures),
        Arguments.of("made by member 3 under index 1", Verification.impersonatedBy(3),
            (Function<AggregationStats, Long>) s -> s.impersonationsBySigner().get(3)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedOnVerification")
  void invalidSignaturesAreCountedAndNeverCount(String rule, Verification v, Function<AggregationStats, Long> counter) {
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
    assertThat(ds).singleElement().isInstanceOfSatisfying(Decision.Evidence.class, e -> {
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
    assertThat(agg.onPeerSignature(signed(3, o), 0)).as("q-1 peers already being checked").isEmpty();
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
    assertThat(agg.onPeerSignature(real1, 0)).as("not a duplicate of the forgery: checked too").containsExactly(new Decision.VerifySignature(real1));
    assertThat(agg.onPeerSignature(real2, 0)).containsExactly(new Decision.VerifySignature(real2));
    assertThat(agg.onPeerSignatureVerified(forged1, Verification.impersonatedBy(3), 0)).isEmpty();
    assertThat(agg.onPeerSignatureVerified(forged2, Verification.impersonatedBy(3), 0)).isEmpty();
    agg.onPeerSignatureVerified(real1, Verification.VALID, 0);
    agg.onPeerSignatureVerified(real2, Verification.VALID, 0);
    List<Decision> ds = agg.onOwnSigned(signed(0, o), 0);
    assertThat(ds).anyMatch(d -> d instanceof Decision.Attested);
    assertThat(agg.stats().impersonationsBySigner().get(3)).isEqualTo(2);
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

  /** A new aggregator after each round would hide leaks; keep the same one but forget the messages. */
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
    assertThat(agg.onPeerSignatureVerified(forged, Verification.impersonatedBy(3), 0)).containsExactly(new Decision.VerifySignature(real3));
  }

  @Test
  void retriesBackOffExponentiallyAndGiveUp() {
    Observation o = OBS.get(0);
    observeAndSign(o, 0);
    assertThat(agg.onTick(999)).isEmpty();
    assertThat(agg.onTick(1000)).singleElement().isInstanceOfSatisfying(Decision.Retry.class, r -> assertThat(r.attempt()).isZero());
    assertThat(agg.onTick(2999)).isEmpty();
    assertThat(agg.onTick(3000)).singleElement().isInstanceOfSatisfying(Decision.Retry.class, r -> assertThat(r.attempt()).isEqualTo(1));
    assertThat(agg.onTick(6999)).isEmpty();
    assertThat(agg.onTick(7000)).singleElement().isInstanceOf(Decision.Retry.class);
    assertThat(agg.onTick(14_999)).isEmpty();
    assertThat(agg.onTick(15_000)).as("capped at retry-max 8s").singleElement().isInstanceOf(Decision.Retry.class);
    assertThat(agg.onTick(60_000)).containsExactly(new Decision.GiveUp(o.messageId(), o.digest()));
    assertThat(agg.isPending(o.messageId())).isFalse();
    assertThat(agg.stats().gaveUp()).isEqualTo(1);
  }

  @Test
  void jitterKeepsDelaysWithinTheConfiguredBand() {
    var jittery = new Aggregator(new AggregatorConfig(2, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(8), 0.2, 100,
        Duration.ofSeconds(5), Duration.ofSeconds(1)), KEYS.committee(), 0, new SplittableRandom(9));
    for (int attempt = 0; attempt < 6; attempt++) {
      long base = Math.min(8000, 1000L << attempt);
      for (int k = 0; k < 50; k++) assertThat(jittery.backoff(attempt)).isBetween(Math.round(base * 0.8), Math.round(base * 1.2));
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
    assertThat(agg.onPeerSignature(signed(3, o), 5000)).as("a retry: it lacks quorum").singleElement().isInstanceOf(Decision.SendAttestation.class);
    assertThat(agg.onPeerSignature(signed(3, o), 6000)).isEmpty();
    assertThat(agg.onPeerSignature(signed(3, o), 10_000)).hasSize(1);
  }

  @Test
  void aRequestForAnAttestedMessageIsAnsweredWithTheAttestation() {
    Observation o = OBS.get(0);
    observeAndSign(o, 0);
    deliverValid(signed(1, o), 0);
    deliverValid(signed(2, o), 0);
    assertThat(agg.onLocalObservation(o, 3, 10)).singleElement().isInstanceOfSatisfying(Decision.SendAttestation.class,
        s -> assertThat(s.peer()).isEqualTo(3));
  }

  @Test
  void aValidAttestationFromAPeerIsAdoptedAndAnInvalidOneCounted() {
    Observation o = OBS.get(0);
    Attestation a = KEYS.attest(o.body(), 1, 2, 3);
    assertThat(agg.onPeerAttestation(a, 0)).containsExactly(new Decision.VerifyAttestation(a, new java.util.BitSet()));
    assertThat(agg.onPeerAttestationVerified(a, false, 0)).isEmpty();
    assertThat(agg.stats().invalidAttestations()).isEqualTo(1);
    List<Decision> ds = agg.onPeerAttestationVerified(a, true, 0);
    assertThat(ds).singleElement().isInstanceOfSatisfying(Decision.Attested.class, x -> assertThat(x.store()).isTrue());
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
}
