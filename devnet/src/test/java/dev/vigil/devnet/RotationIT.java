package dev.vigil.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Hex;
import dev.vigil.signing.MessageId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live rotation as operators run it (`vigil devnet --rotate`): while messages flow both ways, the
 * committee of 4 grows to 5, replaces a member, and shrinks back to 4, each rotation injected at
 * every current member through its admin socket. No message is lost or delivered twice, none is
 * attested with two digests, every attestation verifies under the committee it names, a message
 * published after every member served committee k is attested by committee k or later, the relayer
 * installed each committee on both chains, and the removed guardians stopped by themselves.
 */
class RotationIT {
  @TempDir Path dir;

  @Test
  void theCommitteeGrowsReplacesAMemberAndShrinksWhileMessagesFlow() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out =
        new PrintStream(
            new DevnetEndToEndIT.TeeStream(log, System.out), true, StandardCharsets.UTF_8);
    DevnetOptions o = DevnetOptions.defaults(dir, out).withFreePorts().withRate(2).withRotate(true);
    try (Devnet d = Devnet.start(o)) {
      Duration every = Duration.ofSeconds(5);
      Thread rotations = d.startRotations(Duration.ofSeconds(10));
      d.runTraffic(Long.MAX_VALUE, Duration.ofMinutes(6), () -> !rotations.isAlive(), every);
      rotations.join(Duration.ofMinutes(1).toMillis());
      assertThat(d.rotationFailure()).as("the rotations ran to the end").isEmpty();
      d.runTraffic(20, null, every); // and messages keep flowing on the last committee
      assertThat(d.awaitDelivered(Duration.ofMinutes(3), every))
          .as("every message delivered")
          .isTrue();

      List<Rotations.Switch> switches = d.rotationSwitches();
      assertThat(switches).extracting(Rotations.Switch::newIndex).containsExactly(1L, 2L, 3L);
      assertThat(d.unexpectedExits())
          .as("only the removed guardians stopped, by themselves, with exit code 3")
          .isEmpty();
      assertThat(d.guardian(3).isAlive()).as("guardian 3 was replaced and stopped").isFalse();
      assertThat(d.guardian(4).isAlive()).as("guardian 4 left at the shrink").isFalse();
      for (int c = 0; c < 2; c++)
        assertThat(d.installedCommittee(c))
            .as("the relayer installed every rotation on chain %d's VigilCore", c)
            .isEqualTo(3);

      List<MessageId> ids = d.publishedIds();
      long fromA = ids.stream().filter(m -> m.emitterChain() == Devnet.CHAIN_A).count();
      assertThat(d.receiver(1).receivedCount()).as("exactly once").isEqualTo(fromA);
      assertThat(d.receiver(0).receivedCount()).as("exactly once").isEqualTo(ids.size() - fromA);

      // Committees 0..3 as the rotations installed them (guardian indices are dev keys).
      CommitteeHistory history =
          CommitteeHistory.of(new Committee(0, Rotations.addresses(List.of(0, 1, 2, 3))));
      for (Rotations.Step s : Rotations.plan(4))
        history =
            history.rotate(
                new Committee(s.newIndex(), Rotations.addresses(s.members())), Instant.now());
      AttestationVerifier verifier = new AttestationVerifier(history);
      Map<MessageId, Long> published = d.publishTimes();
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();
      Map<MessageId, Digest> first = new HashMap<>();
      Map<Long, Integer> byCommittee = new HashMap<>();
      // guardians 0, 1 and 2 are members throughout: each holds every message
      for (int g = 0; g < 3; g++) {
        for (MessageId id : ids) {
          byte[] raw = Hex.decode(DevnetEndToEndIT.awaitAttestation(http, json, d.api(g), id));
          assertThat(verifier.verify(raw))
              .as("guardian %d, %s verifies under the committee it names", g, id)
              .isEqualTo(Verdict.VALID);
          Attestation a = AttestationCodec.decode(raw).orElseThrow();
          Digest prev = first.putIfAbsent(id, a.digest());
          if (prev != null)
            assertThat(a.digest()).as("guardian %d, %s: one digest", g, id).isEqualTo(prev);
          if (g == 0) byCommittee.merge(a.committeeIndex(), 1, Integer::sum);
          long t = published.get(id);
          for (Rotations.Switch s : switches) {
            if (t > s.switchedNanos())
              assertThat(a.committeeIndex())
                  .as(
                      "%s, published after every member served committee %d, attested by it or a later one (guardian %d)",
                      id, s.newIndex(), g)
                  .isGreaterThanOrEqualTo(s.newIndex());
          }
        }
      }
      out.println("attestations by committee (guardian 0): " + byCommittee);
      assertThat(byCommittee.keySet())
          .as("messages were attested by every committee in turn")
          .contains(0L, 1L, 2L, 3L);
    }
  }
}
