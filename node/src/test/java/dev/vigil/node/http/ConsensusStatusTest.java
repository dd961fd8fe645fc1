package dev.vigil.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.actor.ConsensusActor;
import dev.vigil.consensus.actor.ConsensusStats;
import dev.vigil.consensus.aggregation.AggregationStats;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.consensus.wire.PeerMessage;
import dev.vigil.signing.Secp256k1Backends;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the consensus actor's stats become /v1/status: peers, heartbeat freshness, participation. */
class ConsensusStatusTest {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final TestCommittee COMMITTEE =
      TestCommittee.create(new Random(1), 9, 4, Secp256k1Backends.bouncyCastle());
  static ActorSystem<ConsensusActor.Command> system;

  @BeforeAll
  static void start() {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "status-test",
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void peersShowTheirLastHeartbeatAndParticipation() {
    ConsensusStatus source =
        new ConsensusStatus(
            system,
            system,
            "g1",
            "1.0",
            COMMITTEE.committee(),
            1,
            () -> List.of(new NodeStatus.Chain(2, "eth", 99)),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            Clock.fixed(NOW, ZoneOffset.UTC));
    AggregationStats a =
        new AggregationStats(
            7,
            3,
            1,
            2,
            4,
            0,
            5,
            6,
            8,
            9,
            0,
            0,
            0,
            0,
            List.of(10L, 11L, 12L, 13L),
            List.of(0L, 0L, 1L, 0L),
            List.of(0L, 0L, 0L, 2L),
            List.of(0L, 0L, 0L, 0L));
    Map<Integer, PeerMessage.HeartbeatInfo> hb =
        Map.of(
            0,
                new PeerMessage.HeartbeatInfo(
                    "g0",
                    9,
                    0,
                    Map.of(2, 98L),
                    "1.0",
                    NOW.minusSeconds(3).toEpochMilli(),
                    "inbox0"),
            2,
                new PeerMessage.HeartbeatInfo(
                    "g2",
                    9,
                    2,
                    Map.of(2, 97L),
                    "1.0",
                    NOW.minusSeconds(60).toEpochMilli(),
                    "inbox2"));
    NodeStatus s = source.toStatus(new ConsensusStats(a, 1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 2, hb));

    assertThat(s.nodeName()).isEqualTo("g1");
    assertThat(s.committeeIndex()).isEqualTo(9);
    assertThat(s.peers()).extracting(NodeStatus.Peer::signerIndex).containsExactly(0, 2, 3);
    NodeStatus.Peer p0 = s.peers().get(0), p2 = s.peers().get(1), p3 = s.peers().get(2);
    assertThat(p0.reachable()).isTrue();
    assertThat(p0.nodeName()).hasValue("g0");
    assertThat(p0.lastHeartbeat()).hasValue(NOW.minusSeconds(3));
    assertThat(p0.heights()).containsEntry(2, 98L);
    assertThat(p0.counts()).containsEntry("signed", 10L);
    // heard from, but longer ago than staleAfter
    assertThat(p2.reachable()).isFalse();
    assertThat(p2.lastHeartbeat()).hasValue(NOW.minusSeconds(60));
    assertThat(p2.counts())
        .containsEntry("impersonations", 1L)
        .containsEntry("signed", 12L)
        .containsEntry("invalidSignatures", 0L)
        .containsEntry("suspectDropped", 0L);
    // never heard from
    assertThat(p3.reachable()).isFalse();
    assertThat(p3.nodeName()).isEqualTo(Optional.empty());
    assertThat(p3.lastHeartbeat()).isEmpty();
    assertThat(p3.counts()).containsEntry("equivocations", 2L);
    assertThat(p3.address()).isEqualTo(COMMITTEE.committee().member(3));
    assertThat(s.counts())
        .containsEntry("attestations", 10L)
        .containsEntry("attestedHere", 7L)
        .containsEntry("invalidSignatures", 6L)
        .containsEntry("peersConnected", 2L)
        .containsEntry("storeFailures", 6L);
  }

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(NOW);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void manyRequestsWithinASecondAskTheConsensusActorOnce() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    ConsensusStats stats =
        new ConsensusStats(
            new AggregationStats(
                7, 3, 1, 2, 4, 0, 5, 6, 8, 9, 0, 0, 0, 0, List.of(), List.of(), List.of(),
                List.of()),
            1,
            2,
            3,
            4,
            0,
            0,
            0,
            0,
            5,
            6,
            asked.get(),
            Map.of());
    ActorSystem<ConsensusActor.Command> consensus =
        ActorSystem.create(
            Behaviors.receiveMessage(
                m -> {
                  if (m instanceof ConsensusActor.GetStats g) {
                    int n = asked.incrementAndGet();
                    g.replyTo()
                        .tell(
                            new ConsensusStats(
                                stats.aggregation(), 1, 2, 3, 4, 0, 0, 0, 0, 5, 6, n, Map.of()));
                  }
                  return Behaviors.same();
                }),
            "status-snapshot-test",
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
    try {
      TestClock clock = new TestClock();
      ConsensusStatus source =
          new ConsensusStatus(
              consensus,
              consensus,
              "g1",
              "1.0",
              COMMITTEE.committee(),
              1,
              List::of,
              Duration.ofSeconds(5),
              Duration.ofSeconds(10),
              Duration.ofSeconds(1),
              clock);
      List<CompletableFuture<NodeStatus>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) answers.add(source.status().toCompletableFuture());
      for (CompletableFuture<NodeStatus> f : answers)
        assertThat(f.get(10, TimeUnit.SECONDS).counts()).containsEntry("peersConnected", 1L);
      assertThat(asked).as("asks for 200 requests within one second").hasValue(1);

      clock.now.set(NOW.plusMillis(1500));
      NodeStatus later = source.status().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(later.counts())
          .as("a fresh snapshot after a second")
          .containsEntry("peersConnected", 2L);
      assertThat(asked).hasValue(2);
    } finally {
      consensus.terminate();
    }
  }
}
