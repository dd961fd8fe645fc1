package dev.vigil.consensus.cluster;

import static dev.vigil.consensus.cluster.ClusterFixture.assertAllAttested;
import static dev.vigil.consensus.cluster.ClusterFixture.await;
import static dev.vigil.consensus.cluster.ClusterFixture.storedCount;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.testing.LocalCommittee;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.signing.Secp256k1Backends;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Messages with 1 MiB payloads (the most a chain may allow) among normal traffic, on a real
 * 4-member cluster whose frames hold at most 2 MiB: batches are cut by bytes, so the cluster
 * discards no batch for its size (before, a batch with two such messages was discarded whole, and
 * the small messages in it waited for retries), and every message is attested by every member.
 */
class LargePayloadsIT {
  @TempDir Path dir;

  @Test
  void oneMibPayloadsAmongNormalTrafficAreAttestedAndSoIsTheNormalTraffic() throws Exception {
    List<Observation> small = Observations.generate(300, 21, 64);
    List<Observation> large = Observations.generate(6, 22, 1 << 20);
    List<Observation> all = new ArrayList<>();
    // interleaved: every 50 small messages one large one, so each flush mixes them
    for (int i = 0; i < small.size(); i++) {
      all.add(small.get(i));
      if (i % 50 == 25) all.add(large.get(i / 50));
    }
    // the cluster's encoder logs each message it discards for its size (and the batch is lost)
    Logger encoder = (Logger) LoggerFactory.getLogger("org.apache.pekko.remote.artery.Encoder");
    ListAppender<ILoggingEvent> discarded = new ListAppender<>();
    discarded.start();
    encoder.addAppender(discarded);
    try (LocalCommittee c =
        LocalCommittee.create(
            4, dir, ClusterFixture.fastRetries(), Secp256k1Backends.preferred(), 21)) {
      c.startAll();
      c.awaitConnected(Duration.ofSeconds(60));
      for (Observation o : all) for (int i = 0; i < 4; i++) c.observe(i, o);
      for (int i = 0; i < 4; i++) {
        int m = i;
        await(
            Duration.ofSeconds(120),
            "member " + m + " stored all " + all.size() + " attestations",
            () -> storedCount(c, m, all) == all.size());
      }
      for (int i = 0; i < 4; i++) assertAllAttested(c, i, all);
      assertThat(discarded.list)
          .as("batches the cluster discarded for their size (their signatures lost until retried)")
          .extracting(ILoggingEvent::getFormattedMessage)
          .isEmpty();
    } finally {
      encoder.detachAppender(discarded);
    }
  }
}
