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

/** A real 4-member committee: four Pekko cluster nodes on 127.0.0.1, four RocksDB data dirs. */
class ConsensusClusterIT {
  @TempDir Path dir;

  @Test
  void fourMembersAttestEveryOneOfAThousandMessages() throws Exception {
    List<Observation> messages = Observations.generate(1000, 11, 64);
    try (LocalCommittee c =
        LocalCommittee.create(
            4, dir, ClusterFixture.fastRetries(), Secp256k1Backends.preferred(), 11)) {
      c.startAll();
      c.awaitConnected(Duration.ofSeconds(60));
      for (Observation o : messages) for (int i = 0; i < 4; i++) c.observe(i, o);
      for (int i = 0; i < 4; i++) {
        int m = i;
        await(
            Duration.ofSeconds(120),
            "member " + m + " stored 1000 attestations",
            () -> storedCount(c, m, messages) == 1000);
      }
      for (int i = 0; i < 4; i++) assertAllAttested(c, i, messages);
    }
  }
}
