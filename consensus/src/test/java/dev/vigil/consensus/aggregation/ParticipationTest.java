package dev.vigil.consensus.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.consensus.aggregation.Participation.Counts;
import dev.vigil.consensus.aggregation.Participation.Member;
import dev.vigil.consensus.aggregation.Participation.Report;
import dev.vigil.consensus.aggregation.Participation.Window;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Secp256k1Backends;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The participation tracker with a clock by hand: windows, the grace period, bounds, rotation; and
 * what the aggregator reports to it.
 */
class ParticipationTest {
  static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % 60_000; // a minute's start
  static final long SECOND = 1000, MINUTE = 60 * SECOND, HOUR = 60 * MINUTE;
  static final List<Address> A =
      IntStream.range(0, 6).mapToObj(i -> Address.wrap(addressBytes(i + 1))).toList();
  static final Committee FOUR = new Committee(1, A.subList(0, 4));

  final Participation p = new Participation(Duration.ofSeconds(30));

  static byte[] addressBytes(int b) {
    byte[] a = new byte[20];
    a[19] = (byte) b;
    return a;
  }

  static MessageId msg(long seq) {
    return new MessageId(2, Bytes32.ZERO, seq);
  }

  static BitSet of(int... members) {
    BitSet b = new BitSet();
    for (int i : members) b.set(i);
    return b;
  }

  static Counts counts(Report r, Address a, Window w) {
    return r.member(a).orElseThrow().counts(w);
  }

  @Test
  void aSilentMemberCountsMissedOnlyOnceTheGracePeriodIsOver() {
    p.formed(msg(1), FOUR, of(0, 1, 2), T0);

    Report inGrace = p.report(FOUR, T0 + 29 * SECOND);
    assertThat(counts(inGrace, A.get(0), Window.TEN_MINUTES)).isEqualTo(new Counts(1, 0, 0, 0));
    assertThat(counts(inGrace, A.get(3), Window.TEN_MINUTES))
        .as("its signature may still be on its way")
        .isEqualTo(new Counts(0, 0, 0, 0));
    assertThat(counts(inGrace, A.get(3), Window.TEN_MINUTES).participation()).isEmpty();
    assertThat(inGrace.inGrace()).isEqualTo(1);

    Report after = p.report(FOUR, T0 + 30 * SECOND);
    assertThat(after.inGrace()).isZero();
    for (Window w : Window.values()) {
      assertThat(counts(after, A.get(3), w)).as(w.label()).isEqualTo(new Counts(0, 0, 1, 0));
      assertThat(counts(after, A.get(3), w).participation()).hasValue(0.0);
      assertThat(counts(after, A.get(1), w)).as(w.label()).isEqualTo(new Counts(1, 0, 0, 0));
      assertThat(counts(after, A.get(1), w).participation()).hasValue(1.0);
    }
  }

  @Test
  void aSignatureAfterTheAttestationIsLateOnceAndOnlyWithinTheGracePeriod() {
    p.formed(msg(1), FOUR, of(0, 1, 2), T0);
    p.formed(msg(2), FOUR, of(0, 1, 2), T0);
    p.late(msg(1), A.get(3), T0 + 5 * SECOND);
    p.late(msg(1), A.get(3), T0 + 6 * SECOND); // retransmitted: still one late signature
    p.late(msg(1), A.get(1), T0 + 6 * SECOND); // counted signed already: not late
    p.late(msg(2), A.get(3), T0 + 31 * SECOND); // after the grace period: stays missed
    p.late(msg(9), A.get(3), T0 + 6 * SECOND); // never attested here: nothing

    Report r = p.report(FOUR, T0 + MINUTE);
    assertThat(counts(r, A.get(3), Window.TOTAL)).isEqualTo(new Counts(0, 1, 1, 0));
    assertThat(counts(r, A.get(3), Window.TOTAL).participation()).hasValue(0.5);
    assertThat(counts(r, A.get(1), Window.TOTAL)).isEqualTo(new Counts(2, 0, 0, 0));
  }

  @Test
  void windowsRollOverMinuteByMinuteAndTotalsStay() {
    p.formed(msg(1), FOUR, of(0, 1, 2), T0 + 10 * SECOND);
    p.equivocated(A.get(2), T0 + 20 * SECOND);
    Address silent = A.get(3);

    Report early = p.report(FOUR, T0 + 9 * MINUTE + 59 * SECOND);
    assertThat(counts(early, silent, Window.TEN_MINUTES)).isEqualTo(new Counts(0, 0, 1, 0));
    assertThat(counts(early, A.get(2), Window.TEN_MINUTES)).isEqualTo(new Counts(1, 0, 0, 1));

    Report tenMinutesOn = p.report(FOUR, T0 + 10 * MINUTE);
    assertThat(counts(tenMinutesOn, silent, Window.TEN_MINUTES)).isEqualTo(Counts.ZERO);
    assertThat(counts(tenMinutesOn, silent, Window.HOUR)).isEqualTo(new Counts(0, 0, 1, 0));

    Report hourOn = p.report(FOUR, T0 + HOUR);
    assertThat(counts(hourOn, silent, Window.HOUR)).isEqualTo(Counts.ZERO);
    assertThat(counts(hourOn, A.get(2), Window.DAY)).isEqualTo(new Counts(1, 0, 0, 1));

    Report dayOn = p.report(FOUR, T0 + 24 * HOUR);
    assertThat(counts(dayOn, A.get(2), Window.DAY)).isEqualTo(Counts.ZERO);
    assertThat(counts(dayOn, A.get(2), Window.TOTAL)).isEqualTo(new Counts(1, 0, 0, 1));
    assertThat(counts(dayOn, silent, Window.TOTAL)).isEqualTo(new Counts(0, 0, 1, 0));
  }

  @Test
  void threeDaysOfMessagesKeepOneDayInTheBucketsAndEverythingInTheTotals() {
    long minutes = 3 * 24 * 60;
    for (long m = 0; m < minutes; m++) p.formed(msg(m), FOUR, of(0, 1, 2), T0 + m * MINUTE);
    Report r = p.report(FOUR, T0 + (minutes - 1) * MINUTE + 59 * SECOND);
    assertThat(counts(r, A.get(0), Window.DAY).signed()).isEqualTo(1440);
    assertThat(counts(r, A.get(0), Window.HOUR).signed()).isEqualTo(60);
    assertThat(counts(r, A.get(0), Window.TEN_MINUTES).signed()).isEqualTo(10);
    assertThat(counts(r, A.get(0), Window.TOTAL).signed()).isEqualTo(minutes);
    assertThat(counts(r, A.get(3), Window.DAY).missed()).isEqualTo(1440);
    assertThat(counts(r, A.get(3), Window.TOTAL).missed()).isEqualTo(minutes);
  }

  @Test
  void messagesWithinTheGracePeriodAreBoundedTheOldestSettleEarly() {
    int extra = 10;
    for (int i = 0; i < Participation.MAX_IN_GRACE + extra; i++)
      p.formed(msg(i), FOUR, of(0, 1, 2), T0);
    Report r = p.report(FOUR, T0 + SECOND);
    assertThat(r.inGrace()).isEqualTo(Participation.MAX_IN_GRACE);
    assertThat(counts(r, A.get(3), Window.TOTAL).missed()).isEqualTo(extra);
    assertThat(counts(r, A.get(0), Window.TOTAL).signed())
        .isEqualTo(Participation.MAX_IN_GRACE + extra);
  }

  @Test
  void aRotationKeepsEachGuardiansRecordByAddressAndListsFormerMembersAsNotMembers() {
    p.formed(msg(1), FOUR, of(0, 1, 2), T0);
    // committee 2: member 0 left, 3 is now index 0, a newcomer at index 3
    Committee next = new Committee(2, List.of(A.get(3), A.get(1), A.get(2), A.get(4)));
    p.formed(msg(2), next, of(0, 1, 2), T0 + MINUTE);
    p.heartbeat(A.get(0), "guardian-0", T0 + MINUTE);

    Report r = p.report(next, T0 + 2 * MINUTE);
    assertThat(r.members())
        .extracting(Member::address)
        .containsExactly(A.get(3), A.get(1), A.get(2), A.get(4), A.get(0));
    Member moved = r.member(A.get(3)).orElseThrow();
    assertThat(moved.index()).hasValue(0);
    assertThat(moved.counts(Window.TOTAL)).isEqualTo(new Counts(1, 0, 1, 0));
    Member left = r.member(A.get(0)).orElseThrow();
    assertThat(left.member()).isFalse();
    assertThat(left.counts(Window.TOTAL)).isEqualTo(new Counts(1, 0, 0, 0));
    assertThat(left.lastHeartbeat().orElseThrow().nodeName()).isEqualTo("guardian-0");
    assertThat(r.member(A.get(4)).orElseThrow().counts(Window.TOTAL))
        .isEqualTo(new Counts(0, 0, 1, 0));
    assertThat(r.member(A.get(5))).as("never a member, never seen").isEmpty();
  }

  @Test
  void theNewestHeartbeatIsKept() {
    p.heartbeat(A.get(1), "g1", T0 + 2 * SECOND);
    p.heartbeat(A.get(1), "g1-old", T0 + SECOND);
    assertThat(p.report(FOUR, T0).member(A.get(1)).orElseThrow().lastHeartbeat())
        .hasValue(new Participation.Heartbeat("g1", T0 + 2 * SECOND));
    assertThat(p.report(FOUR, T0).member(A.get(2)).orElseThrow().lastHeartbeat()).isEmpty();
  }

  @Test
  void aGracePeriodOverAnHourIsRefusedNamingIt() {
    assertThatThrownBy(() -> new Participation(Duration.ofHours(2)))
        .hasMessageContaining("grace period")
        .hasMessageContaining("PT2H");
  }

  // ---------------------------------------------------------------- what the aggregator reports

  static final TestCommittee KEYS =
      TestCommittee.create(new Random(5), 1, 4, Secp256k1Backends.bouncyCastle());
  static final List<Observation> OBS = Observations.generate(2, 3, 16);

  Aggregator aggregator() {
    return new Aggregator(AggregatorTest.CONFIG, KEYS.committee(), 0, new SplittableRandom(1), p);
  }

  static SignedObservation signed(int i, Observation o) {
    GuardianSignature gs = KEYS.sign(i, o.digest());
    return SignedObservation.of(KEYS.committee().index(), i, o.body(), gs.signature(), o.txHash());
  }

  static void deliver(Aggregator agg, SignedObservation so, long now) {
    if (agg.onPeerSignature(so, now).stream().anyMatch(d -> d instanceof Decision.VerifySignature))
      agg.onPeerSignatureVerified(so, Verification.VALID, now);
  }

  @Test
  void theAggregatorCountsSignersBeforeQuorumLateOnesAfterAndTheSilentOneMissed() {
    Aggregator agg = aggregator();
    Observation o = OBS.get(0);
    agg.onLocalObservation(o, -1, T0);
    agg.onOwnSigned(signed(0, o), T0);
    deliver(agg, signed(1, o), T0 + 100);
    deliver(agg, signed(2, o), T0 + 200); // quorum (3 of 4)
    assertThat(agg.isAttested(o.messageId())).isTrue();
    deliver(agg, signed(2, o), T0 + 5 * SECOND); // a retransmission
    deliver(agg, signed(1, o), T0 + 6 * SECOND);

    List<Address> m = KEYS.committee().members();
    Report r = p.report(KEYS.committee(), T0 + MINUTE);
    assertThat(counts(r, m.get(0), Window.TOTAL)).isEqualTo(new Counts(1, 0, 0, 0));
    assertThat(counts(r, m.get(1), Window.TOTAL)).isEqualTo(new Counts(1, 0, 0, 0));
    assertThat(counts(r, m.get(2), Window.TOTAL)).isEqualTo(new Counts(1, 0, 0, 0));
    assertThat(counts(r, m.get(3), Window.TOTAL)).isEqualTo(new Counts(0, 0, 1, 0));

    Observation o2 = OBS.get(1);
    agg.onLocalObservation(o2, -1, T0 + MINUTE);
    agg.onOwnSigned(signed(0, o2), T0 + MINUTE);
    deliver(agg, signed(1, o2), T0 + MINUTE);
    deliver(agg, signed(2, o2), T0 + MINUTE);
    deliver(agg, signed(3, o2), T0 + MINUTE + 2 * SECOND); // after quorum, within grace
    Report r2 = p.report(KEYS.committee(), T0 + 3 * MINUTE);
    assertThat(counts(r2, m.get(3), Window.TOTAL)).isEqualTo(new Counts(0, 1, 1, 0));
    assertThat(counts(r2, m.get(3), Window.TEN_MINUTES).participation()).hasValue(0.5);
  }

  @Test
  void anAttestationFromPeersCountsItsSignersAndAConflictingSignerAsEquivocating() {
    Aggregator agg = aggregator();
    Observation o = OBS.get(0);
    // member 3 signed another body first, then the committee attested this one with its signature
    SignedObservation other =
        SignedObservation.of(
            KEYS.committee().index(),
            3,
            AggregatorTest.otherBody(o),
            KEYS.sign(3, AggregatorTest.otherBody(o).digest()).signature(),
            o.txHash());
    deliver(agg, other, T0);
    Attestation a = KEYS.attest(o.body(), 1, 2, 3);
    agg.onPeerAttestationVerified(a, true, T0 + SECOND);

    List<Address> m = KEYS.committee().members();
    Report r = p.report(KEYS.committee(), T0 + MINUTE);
    assertThat(counts(r, m.get(3), Window.TOTAL)).isEqualTo(new Counts(1, 0, 0, 1));
    assertThat(counts(r, m.get(1), Window.TOTAL)).isEqualTo(new Counts(1, 0, 0, 0));
    assertThat(counts(r, m.get(0), Window.TOTAL))
        .as("this node did not sign it")
        .isEqualTo(new Counts(0, 0, 1, 0));
  }
}
