package dev.vigil.consensus.cluster;

import static dev.vigil.consensus.cluster.ClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.actor.ConsensusActor;
import dev.vigil.consensus.aggregation.Participation;
import dev.vigil.consensus.aggregation.Participation.Counts;
import dev.vigil.consensus.aggregation.Participation.Window;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.testing.LocalCommittee;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.signing.Address;
import dev.vigil.signing.Secp256k1Backends;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 4-member committee where member 3 runs (its heartbeats arrive) but never signs: every
 * member's record shows the other three signing each message and member 3 missing each, once the
 * grace period is over.
 */
class ParticipationIT {
  @TempDir Path dir;

  static Participation.Report report(LocalCommittee c, int i) {
    var system = c.node(i).system();
    return AskPattern.ask(
            system,
            ConsensusActor.GetParticipation::new,
            Duration.ofSeconds(30),
            system.scheduler())
        .toCompletableFuture()
        .join();
  }

  static Counts total(Participation.Report r, Address a) {
    return r.member(a).orElseThrow().counts(Window.TOTAL);
  }

  @Test
  void aMemberThatStaysSilentIsCountedMissedWhileTheOthersCountSigned() throws Exception {
    int n = 20;
    List<Observation> messages = Observations.generate(n, 13, 32);
    try (LocalCommittee c =
        LocalCommittee.create(
            4,
            dir,
            ConfigFactory.parseString("vigil.consensus.participation-grace = 1s")
                .withFallback(ClusterFixture.fastRetries()),
            Secp256k1Backends.preferred(),
            13)) {
      c.startAll();
      c.awaitConnected(Duration.ofSeconds(60));
      for (Observation o : messages) for (int i = 0; i < 3; i++) c.observe(i, o);

      List<Address> members = c.committee().members();
      Address silent = members.get(3);
      for (int i = 0; i < 4; i++) {
        int node = i;
        await(
            Duration.ofSeconds(120),
            "member " + node + " counts member 3 missed for all " + n + " messages",
            () -> total(report(c, node), silent).missed() == n);
        Participation.Report r = report(c, node);
        for (int signer = 0; signer < 3; signer++) {
          Counts got = total(r, members.get(signer));
          assertThat(got.signed() + got.late())
              .as("member %d's record of member %d", node, signer)
              .isEqualTo(n);
          assertThat(got.missed()).isZero();
          assertThat(got.equivocations()).isZero();
          assertThat(r.member(members.get(signer)).orElseThrow().counts(Window.TEN_MINUTES))
              .isEqualTo(got);
        }
        assertThat(total(r, silent)).isEqualTo(new Counts(0, 0, n, 0));
        assertThat(total(r, silent).participation()).hasValue(0.0);
        assertThat(r.inGrace()).isZero();
      }
      // at member 0, whose quorum needed all three signatures, they all came before it formed
      Participation.Report at0 = report(c, 0);
      for (int signer = 0; signer < 3; signer++)
        assertThat(total(at0, members.get(signer))).isEqualTo(new Counts(n, 0, 0, 0));
      // the silent member is alive: its heartbeats arrive, it just does not sign
      await(
          Duration.ofSeconds(60),
          "member 0 holds a heartbeat of member 3",
          () -> report(c, 0).member(silent).orElseThrow().lastHeartbeat().isPresent());
      assertThat(report(c, 0).member(silent).orElseThrow().lastHeartbeat().get().nodeName())
          .isEqualTo("guardian-3");
    }
  }
}
