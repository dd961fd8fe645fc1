package dev.vigil.consensus.cluster;

import static dev.vigil.consensus.cluster.ClusterFixture.assertAllAttested;
import static dev.vigil.consensus.cluster.ClusterFixture.await;
import static dev.vigil.consensus.cluster.ClusterFixture.storedCount;

import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.testing.LocalCommittee;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.signing.Secp256k1Backends;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * f = 2: seven members, quorum 5; two can stop without stopping the committee, and catch up after.
 */
class SevenMemberCommitteeIT {
  static final Duration LONG = Duration.ofSeconds(180);
  @TempDir Path dir;

  @Test
  void sevenMembersAttestEverythingWithTwoStoppedAndTheStoppedCatchUp() throws Exception {
    List<Observation> messages = Observations.generate(300, 71, 32);
    try (LocalCommittee c =
        LocalCommittee.create(
            7, dir, ClusterFixture.fastRetries(), Secp256k1Backends.preferred(), 71)) {
      c.startAll();
      c.awaitConnected(LONG);
      for (int k = 0; k < messages.size(); k++) {
        if (k == 100) {
          c.stop(5);
          c.stop(6);
        }
        for (int i = 0; i < 7; i++) if (c.isRunning(i)) c.observe(i, messages.get(k));
      }
      for (int i = 0; i < 5; i++) {
        int m = i;
        await(
            LONG,
            "member " + m + " attested all 300 with two members stopped",
            () -> storedCount(c, m, messages) == messages.size());
        assertAllAttested(c, i, messages);
      }
      c.start(5);
      c.start(6);
      for (Observation o : messages) {
        c.observe(5, o);
        c.observe(6, o);
      }
      for (int i = 5; i < 7; i++) {
        int m = i;
        await(
            LONG,
            "restarted member " + m + " holds all 300",
            () -> storedCount(c, m, messages) == messages.size());
        assertAllAttested(c, i, messages);
      }
    }
  }
}
