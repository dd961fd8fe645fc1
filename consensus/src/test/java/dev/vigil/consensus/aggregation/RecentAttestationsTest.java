package dev.vigil.consensus.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.signing.Secp256k1Backends;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Recent attestations: a bounded, least-recently-used set, and the delayed sends to silent peers.
 */
class RecentAttestationsTest {
  static final TestCommittee KEYS =
      TestCommittee.create(new Random(5), 1, 4, Secp256k1Backends.bouncyCastle());
  static final List<Observation> OBS = Observations.generate(4, 3, 16);

  static RecentAttestations.Done done(Observation o, long now) {
    Attestation a =
        Attestation.v1(KEYS.committee().index(), List.of(KEYS.sign(0, o.digest())), o.body());
    return new RecentAttestations.Done(a, o.digest(), 4, now);
  }

  @Test
  void theLeastRecentlyUsedIsForgottenFirstAndALookupCountsAsAUse() {
    RecentAttestations recent = new RecentAttestations(2);
    recent.put(OBS.get(0).messageId(), done(OBS.get(0), 0));
    recent.put(OBS.get(1).messageId(), done(OBS.get(1), 0));
    recent.get(OBS.get(0).messageId());
    recent.put(OBS.get(2).messageId(), done(OBS.get(2), 0));
    assertThat(recent.contains(OBS.get(0).messageId())).isTrue();
    assertThat(recent.contains(OBS.get(1).messageId())).isFalse();
    assertThat(recent.contains(OBS.get(2).messageId())).isTrue();
  }

  @Test
  void aScheduledSendGoesOutWhenDueOnlyToAPeerStillNotHeardFrom() {
    RecentAttestations recent = new RecentAttestations(10);
    RecentAttestations.Done d = done(OBS.get(0), 0);
    recent.put(OBS.get(0).messageId(), d);
    recent.scheduleSend(500, OBS.get(0).messageId(), 1);
    recent.scheduleSend(500, OBS.get(0).messageId(), 2);
    assertThat(recent.dueSends(499, 5_000)).isEmpty();
    d.signedBy.set(2); // peer 2's signature came meanwhile: it observed the message itself
    assertThat(recent.dueSends(500, 5_000))
        .containsExactly(new Decision.SendAttestation(d.attestation, 1));
    assertThat(recent.dueSends(10_000, 5_000)).as("each scheduled send happens once").isEmpty();
  }
}
