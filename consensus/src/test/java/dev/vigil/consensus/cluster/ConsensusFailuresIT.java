package dev.vigil.consensus.cluster;

import static dev.vigil.consensus.cluster.ClusterFixture.assertAllAttested;
import static dev.vigil.consensus.cluster.ClusterFixture.await;
import static dev.vigil.consensus.cluster.ClusterFixture.storedCount;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.testing.LocalCommittee;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.signing.Secp256k1Backends;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Members that stop, restart, observe late or not at all, in a real 4-member cluster. */
class ConsensusFailuresIT {
  static final Duration LONG = Duration.ofSeconds(150);
  @TempDir Path dir;

  @Test
  void oneMemberStoppedDuringTheRunDoesNotStopTheOthers() throws Exception {
    List<Observation> messages = Observations.generate(300, 21, 32);
    try (LocalCommittee c =
        LocalCommittee.create(
            4, dir, ClusterFixture.fastRetries(), Secp256k1Backends.preferred(), 21)) {
      c.startAll();
      c.awaitConnected(LONG);
      for (int k = 0; k < messages.size(); k++) {
        if (k == 100) c.stop(3);
        for (int i = 0; i < 4; i++) if (c.isRunning(i)) c.observe(i, messages.get(k));
      }
      for (int i = 0; i < 3; i++) {
        int m = i;
        await(
            LONG,
            "member " + m + " attested all 300",
            () -> storedCount(c, m, messages) == messages.size());
        assertAllAttested(c, i, messages);
      }
    }
  }

  @Test
  void twoOfFourStoppedAttestNothingUntilTheyReturnThenEverything() throws Exception {
    List<Observation> messages = Observations.generate(100, 22, 32);
    try (LocalCommittee c =
        LocalCommittee.create(
            4, dir, ClusterFixture.fastRetries(), Secp256k1Backends.preferred(), 22)) {
      c.startAll();
      c.awaitConnected(LONG);
      c.stop(2);
      c.stop(3);
      for (Observation o : messages) {
        c.observe(0, o);
        c.observe(1, o);
        c.addToChain(2, o); // final on their chains too: they will read it when asked
        c.addToChain(3, o);
      }
      // Both live members signed everything and retry, but 2 < quorum 3.
      await(
          LONG,
          "members 0 and 1 retried",
          () ->
              c.stats(0).aggregation().pendingLocal() == 100
                  && c.stats(1).aggregation().pendingLocal() == 100);
      Thread.sleep(3000);
      for (int i = 0; i < 2; i++) {
        assertThat(storedCount(c, i, messages))
            .as("member %d stored no attestation without quorum", i)
            .isZero();
        assertThat(c.db(i).attestations().count()).isZero();
        assertThat(c.stats(i).aggregation().attestationsTotal()).isZero();
      }
      c.start(2);
      c.start(3);
      // Back on their data dirs, their observers catch up from their cursors and see the same
      // messages.
      for (Observation o : messages) {
        c.observe(2, o);
        c.observe(3, o);
      }
      for (int i = 0; i < 4; i++) {
        int m = i;
        await(
            LONG,
            "member " + m + " attested all 100 after the restart",
            () -> storedCount(c, m, messages) == messages.size());
        assertAllAttested(c, i, messages);
      }
    }
  }

  @Test
  void aLateObserverStillGetsTheAttestationAndAMissedObservationIsRequested() throws Exception {
    List<Observation> all = Observations.generate(100, 23, 32);
    List<Observation> late = all.subList(0, 50);
    List<Observation> missed = all.subList(50, 100);
    try (LocalCommittee c =
        LocalCommittee.create(
            4, dir, ClusterFixture.fastRetries(), Secp256k1Backends.preferred(), 23)) {
      c.startAll();
      c.awaitConnected(LONG);
      for (Observation o : late) for (int i = 0; i < 3; i++) c.observe(i, o);
      for (int i = 0; i < 3; i++) {
        int m = i;
        await(
            LONG,
            "members 0-2 attested without member 3",
            () -> storedCount(c, m, late) == late.size());
      }
      for (Observation o : late) c.observe(3, o); // member 3's observer was slow
      await(
          LONG,
          "the late member holds every attestation",
          () -> storedCount(c, 3, late) == late.size());
      assertAllAttested(c, 3, late);

      // Members 2 and 3 never see these from their observers: only the requests make them look.
      for (Observation o : missed) {
        c.observe(0, o);
        c.observe(1, o);
        c.addToChain(2, o);
        c.addToChain(3, o);
      }
      for (int i = 0; i < 4; i++) {
        int m = i;
        await(
            LONG,
            "member " + m + " attested the missed messages",
            () -> storedCount(c, m, missed) == missed.size());
        assertAllAttested(c, i, missed);
      }
      assertThat(c.stats(2).requestsServed() + c.stats(3).requestsServed())
          .as("ObservationRequests answered")
          .isPositive();
    }
  }
}
