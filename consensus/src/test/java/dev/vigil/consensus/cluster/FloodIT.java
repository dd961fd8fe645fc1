package dev.vigil.consensus.cluster;

import static dev.vigil.consensus.cluster.ClusterFixture.assertAllAttested;
import static dev.vigil.consensus.cluster.ClusterFixture.await;
import static dev.vigil.consensus.cluster.ClusterFixture.storedCount;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.actor.ConsensusStats;
import dev.vigil.consensus.aggregation.AggregationStats;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.testing.FloodAttacker;
import dev.vigil.consensus.testing.HeapWatch;
import dev.vigil.consensus.testing.LocalCommittee;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.consensus.testing.RogueNode;
import dev.vigil.signing.Secp256k1Backends;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Member 3 of a 4-member committee floods the other three with the {@link FloodAttacker} mix
 * (signatures that do not verify, batches in their names, signatures for bodies nobody observed,
 * batches near the 2 MiB frame limit, a million-entry batch, a 2 MiB body, garbage) while they
 * attest a stream of messages. Bounded: 300 messages, 300 hostile messages to each. What a user
 * notices: everything attested correctly, nothing else stored, the attacker named in the counters,
 * memory within the caps. Throughput is the flood benchmark's business ({@code vigil bench
 * --flood}), not this test's.
 */
class FloodIT {
  static final Duration LONG = Duration.ofSeconds(150);
  static final int UNSEEN_CAP = 300;
  static final long UNSEEN_BYTES_CAP = 4L << 20;

  /**
   * Generous: the committee needs some 100 MiB; an unbounded flood of 2 MiB bodies needs gigabytes.
   */
  static final long HEAP_BOUND = 768L << 20;

  @TempDir Path dir;

  @Test
  void honestMembersAttestEverythingUnderAFloodAndKeepTheirMemoryWithinTheCaps() throws Exception {
    List<Observation> messages = Observations.generate(300, 61, 64);
    var config =
        ConfigFactory.parseString(
                """
        vigil.consensus.max-unseen-per-peer = %d
        vigil.consensus.max-unseen-bytes-per-peer = %d
        """
                    .formatted(UNSEEN_CAP, UNSEEN_BYTES_CAP))
            .withFallback(ClusterFixture.fastRetries());
    try (LocalCommittee c =
            LocalCommittee.create(4, dir, config, Secp256k1Backends.preferred(), 61);
        HeapWatch heap = new HeapWatch()) {
      for (int i = 0; i < 3; i++) c.start(i);
      try (RogueNode rogue = RogueNode.asMember(c, 3)) {
        c.awaitConnected(LONG);
        List<ActorRef<Object>> honest = rogue.awaitInboxes(c.committee().index(), 3, LONG);
        FloodAttacker attacker =
            new FloodAttacker(
                c.committee().index(), c.signer(3), 3, 4, messages, UNSEEN_CAP + 200, 61);

        heap.reset();
        AtomicReference<FloodAttacker.Totals> sent = new AtomicReference<>();
        Thread flood =
            Thread.ofPlatform()
                .name("flood")
                .start(
                    () ->
                        sent.set(
                            attacker.send(
                                honest, 100, 300, TimeUnit.SECONDS.toNanos(90), () -> false)));
        Thread.sleep(500); // the flood is on before the work arrives
        for (Observation o : messages) for (int i = 0; i < 3; i++) c.observe(i, o);
        flood.join();
        assertThat(sent.get().messages()).as("the attacker sent its 300 to each").isEqualTo(900);

        for (int i = 0; i < 3; i++) {
          int m = i;
          await(
              LONG,
              "member " + m + " attested all 300 under the flood",
              () -> storedCount(c, m, messages) == messages.size());
        }
        long heapMax = heap.maxAfterGc();
        for (int i = 0; i < 3; i++) {
          assertAllAttested(c, i, messages);
          assertThat(c.db(i).attestations().count())
              .as("member %d stored nothing but the 300", i)
              .isEqualTo(messages.size());

          ConsensusStats s = c.stats(i);
          AggregationStats a = s.aggregation();
          assertThat(a.invalidBySigner().get(3))
              .as("random signatures under 3's index, seen by %d", i)
              .isPositive();
          assertThat(s.batchesUnauthenticated())
              .as("3's batches in others' names dropped whole at %d", i)
              .isPositive();
          // Which defense drops 3's signatures for bodies nobody observed depends on timing: the
          // unseen
          // caps until 3's junk has spent its invalid budget, the suspect drop after
          // (AggregatorTest
          // covers each alone). Either way they were dropped, and the peaks below stay within the
          // caps.
          assertThat(a.capDroppedBySigner().get(3) + a.suspectDroppedBySigner().get(3))
              .as("3's signatures for unobserved bodies dropped by the caps or unchecked, at %d", i)
              .isPositive();
          assertThat(a.suspectDroppedBySigner().get(3))
              .as("3's signatures dropped unchecked once suspect, at %d", i)
              .isPositive();
          assertThat(s.undecodableMessages())
              .as("garbage and the million-entry batch refused at %d", i)
              .isPositive();
          for (int h = 0; h < 3; h++) {
            assertThat(a.invalidBySigner().get(h))
                .as("member %d blames honest %d for nothing", i, h)
                .isZero();
            assertThat(a.impersonationsBySigner().get(h)).isZero();
            assertThat(a.suspectDroppedBySigner().get(h)).isZero();
            assertThat(a.capDroppedBySigner().get(h)).isZero();
          }
          for (int k = 0; k < 4; k++) {
            assertThat(a.unseenPeakBySigner().get(k))
                .as("unseen messages held for %d at %d, at most", k, i)
                .isLessThanOrEqualTo(UNSEEN_CAP);
            assertThat(a.unseenBytesBySigner().get(k)).isLessThanOrEqualTo(UNSEEN_BYTES_CAP);
          }
        }
        assertThat(heapMax)
            .as("largest heap after a collection during the flood")
            .isLessThan(HEAP_BOUND);
        assertThat(HeapWatch.liveAfterFullGc()).as("live heap after it").isLessThan(HEAP_BOUND);
      }
    }
  }
}
