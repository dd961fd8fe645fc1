package dev.vigil.consensus.cluster;

import static dev.vigil.consensus.cluster.ClusterFixture.assertAllAttested;
import static dev.vigil.consensus.cluster.ClusterFixture.await;
import static dev.vigil.consensus.cluster.ClusterFixture.storedCount;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.actor.ConsensusStats;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.testing.Garbage;
import dev.vigil.consensus.testing.LocalCommittee;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.consensus.testing.RogueNode;
import dev.vigil.consensus.wire.PeerMessage;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signer;
import dev.vigil.storage.EvidenceRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Member 3 of a 4-member committee is Byzantine: it joins the cluster with its real key and sends
 * garbage bytes, signatures over wrong digests, member 0's real signatures as its own, batches in
 * other members' names, and two digests for one message. The three honest members still attest
 * everything, correctly, and charge all of it to member 3 alone.
 */
class ByzantineMemberIT {
  static final Duration LONG = Duration.ofSeconds(150);
  @TempDir Path dir;

  @Test
  void honestMembersAttestEverythingAndKeepTheEquivocationAsEvidence() throws Exception {
    List<Observation> messages = Observations.generate(200, 31, 32);
    List<Observation> targeted = messages.subList(0, 40);
    // 40 messages x 3 invalid signatures would spend member 3's invalid-signature budget (burst
    // 100):
    // a suspect member's signatures for messages not observed here are dropped unchecked, so some
    // of its
    // equivocations would go unseen, depending on timing. This test is about what is detected and
    // kept,
    // so the budget is out of reach here; FloodIT covers the budget.
    var config =
        ConfigFactory.parseString("vigil.consensus.invalid-signature-burst = 10000")
            .withFallback(ClusterFixture.fastRetries());
    try (LocalCommittee c =
        LocalCommittee.create(4, dir, config, Secp256k1Backends.preferred(), 31)) {
      for (int i = 0; i < 3; i++) c.start(i);
      try (RogueNode rogue = RogueNode.asMember(c, 3)) {
        List<ActorRef<Object>> honest = rogue.awaitInboxes(c.committee().index(), 3, LONG);
        Signer bad = c.signer(3);
        Random r = new Random(3);
        for (Observation o : targeted) {
          byte[] junk = new byte[64 + r.nextInt(200)];
          r.nextBytes(junk);
          Body other = alter(o.body());
          List<SignedObservation> lies =
              List.of(
                  // a signature over another digest than the one it names
                  SignedObservation.of(
                      1, 3, o.body(), bad.sign(other.digest().toBytes()), o.txHash()),
                  // member 0's real signature presented as member 3's own (a replay)
                  SignedObservation.of(
                      1, 3, o.body(), c.signer(0).sign(o.digest().toBytes()), o.txHash()),
                  // two digests for one message identity, both really signed by member 3
                  SignedObservation.of(1, 3, other, bad.sign(other.digest().toBytes()), o.txHash()),
                  SignedObservation.of(1, 3, o.body(), bad.sign(o.digest().toBytes()), o.txHash()));
          // member 3's key signing batches in members 0's and 1's names
          List<PeerMessage> posing = new ArrayList<>();
          for (int claimed = 0; claimed < 2; claimed++) {
            SignedObservation so =
                SignedObservation.of(
                    1, claimed, o.body(), bad.sign(o.digest().toBytes()), o.txHash());
            posing.add(WireCodec.batch(1, claimed, List.of(so), bad));
          }
          for (ActorRef<Object> h : honest) {
            h.tell(new Garbage(WireCodec.OBSERVATION_BATCH, junk));
            h.tell(new Garbage(WireCodec.HEARTBEAT, junk));
            h.tell(new Garbage(WireCodec.ATTESTATION_BATCH, junk));
            h.tell(WireCodec.batch(1, 3, lies, bad));
            posing.forEach(h::tell);
          }
        }
        for (int i = 0; i < 3; i++) {
          int m = i;
          await(
              LONG,
              "member " + m + " recorded member 3's equivocations",
              () -> c.stats(m).aggregation().equivocationsBySigner().get(3) >= targeted.size());
        }
        for (Observation o : messages) for (int i = 0; i < 3; i++) c.observe(i, o);
        for (int i = 0; i < 3; i++) {
          int m = i;
          await(
              LONG,
              "member " + m + " attested all 200",
              () -> storedCount(c, m, messages) == messages.size());
          assertAllAttested(c, i, messages);

          ConsensusStats s = c.stats(i);
          assertThat(s.undecodableMessages())
              .as("garbage dropped and counted at member %d", i)
              .isGreaterThanOrEqualTo(targeted.size());
          assertThat(s.aggregation().invalidSignatures())
              .as("wrong-digest signatures at member %d", i)
              .isPositive();
          assertThat(s.aggregation().impersonationsBySigner())
              .as("member 0's signatures replayed by member 3 are charged to 3, seen by %d", i)
              .containsExactly(0L, 0L, 0L, (long) targeted.size());
          assertThat(s.batchesUnauthenticated())
              .as("member 3's batches in members 0's and 1's names dropped at member %d", i)
              .isEqualTo(2L * targeted.size());
          assertThat(s.aggregation().invalidBySigner().subList(0, 3))
              .as("no honest member is charged")
              .containsOnly(0L);
          assertThat(s.aggregation().equivocationsBySigner().subList(0, 3))
              .as("no honest member is blamed")
              .containsOnly(0L);

          List<EvidenceRecord> evidence = new ArrayList<>();
          c.db(i).evidence().forEach(e -> evidence.add(e) || true);
          assertThat(evidence)
              .as("evidence kept at member %d", i)
              .hasSizeGreaterThanOrEqualTo(targeted.size());
          for (EvidenceRecord e : evidence) {
            assertThat(e.signer()).isEqualTo(c.committee().member(3));
            List<SignedObservation> pair = WireCodec.decodeEquivocation(e.evidence());
            assertThat(pair).hasSize(2);
            assertThat(pair.get(0).messageId()).isEqualTo(pair.get(1).messageId());
            assertThat(pair.get(0).digest()).isNotEqualTo(pair.get(1).digest());
            for (SignedObservation so : pair) {
              assertThat(
                      Secp256k1Backends.bouncyCastle()
                          .recoverAddress(so.digest().toBytes(), so.signature()))
                  .as("each half of the evidence verifies as member 3's")
                  .isEqualTo(c.committee().member(3));
            }
          }
        }
      }
    }
  }

  private static Body alter(Body b) {
    return new Body(
        b.timestamp(),
        b.nonce() ^ 0xff,
        b.emitterChain(),
        b.emitterAddress(),
        b.sequence(),
        b.consistencyLevel(),
        b.payload());
  }
}
