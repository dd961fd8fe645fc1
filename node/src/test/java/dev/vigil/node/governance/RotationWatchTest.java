package dev.vigil.node.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.governance.CommitteeRotation;
import dev.vigil.consensus.governance.GovernanceRules;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.storage.VigilDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guardian's committee across rotations, on a real RocksDB: the first valid rotation of its
 * committee is kept and reported once, invalid ones are ignored, and at start the node serves the
 * newest committee it installed, even one whose attestation was stored but not yet installed.
 */
class RotationWatchTest {
  static final GovernanceRules RULES =
      new GovernanceRules(1, Bytes32.fromHex("00".repeat(31) + "04"));
  static final TestCommittee COMMITTEE =
      TestCommittee.create(new Random(13), 0, 4, Secp256k1Backends.bouncyCastle());

  @TempDir Path dir;

  static Attestation rotation(long sequence, long newIndex, List<Address> members) {
    Body body =
        RULES.rotationBody(
            sequence, 0, 1_765_000_000L, new CommitteeRotation(0, newIndex, members));
    return COMMITTEE.attestQuorum(body);
  }

  @Test
  void theFirstValidRotationIsKeptAndReportedOnceAndTheNodeStartsOnItAfterwards() {
    Committee c0 = COMMITTEE.committee();
    Address self = c0.member(1);
    List<Address> next = new ArrayList<>(c0.members());
    next.set(3, Address.fromHex("0x" + "ab".repeat(20)));
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      List<RotationWatch.Rotated> seen = new ArrayList<>();
      RotationWatch watch = new RotationWatch(RULES, c0, self, db, () -> 42_000L, seen::add);
      watch.attested(rotation(1, 2, next)); // skips an index: not applied
      Attestation ordinary =
          COMMITTEE.attestQuorum(
              new Body(1, 0, 2, Bytes32.fromHex("00".repeat(31) + "07"), 5, 1, new byte[] {1}));
      watch.attested(ordinary); // not governance
      assertThat(seen).isEmpty();
      assertThat(db.committees().all()).isEmpty();

      watch.attested(rotation(2, 1, next));
      watch.attested(rotation(3, 1, c0.members())); // a second rotation of the same committee
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).next().members()).isEqualTo(next);
      assertThat(seen.get(0).stillMember()).isTrue();
      assertThat(db.committees().latest().orElseThrow().installedAtMillis()).isEqualTo(42_000L);
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      CommitteeHistory h = CommitteeState.load(c0, db, RULES, 50_000L);
      assertThat(h.currentIndex()).as("served after a restart, no file edited").isEqualTo(1);
      assertThat(h.current().members()).isEqualTo(next);
      assertThat(h.committee(0)).contains(c0);
      assertThat(h.replacedAt(0))
          .hasValueSatisfying(t -> assertThat(t.toEpochMilli()).isEqualTo(42_000L));
      // an operator who configured a later committee by hand wins over what was installed
      Committee later = new Committee(5, c0.members());
      assertThat(CommitteeState.load(later, db, RULES, 50_000L).currentIndex()).isEqualTo(5);
    }
  }

  @Test
  void aRemovedMemberIsToldItIsNoLongerInTheCommittee() {
    Committee c0 = COMMITTEE.committee();
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      List<RotationWatch.Rotated> seen = new ArrayList<>();
      new RotationWatch(RULES, c0, c0.member(3), db, () -> 1L, seen::add)
          .attested(rotation(1, 1, c0.members().subList(0, 3)));
      assertThat(seen).singleElement().satisfies(r -> assertThat(r.stillMember()).isFalse());
    }
  }

  @Test
  void aRotationStoredButNotInstalledBeforeACrashIsInstalledAtStart() {
    Committee c0 = COMMITTEE.committee();
    Attestation a = rotation(4, 1, c0.members().subList(0, 3));
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      // the attestation landed; the node stopped before the committee write
      db.attestations().put(a.messageId(), a.digest(), AttestationCodec.encode(a));
    }
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      CommitteeHistory h = CommitteeState.load(c0, db, RULES, 7_000L);
      assertThat(h.currentIndex()).isEqualTo(1);
      assertThat(h.current().members()).isEqualTo(c0.members().subList(0, 3));
      assertThat(db.committees().latest().orElseThrow().index())
          .as("and kept, so the next start needs no scan")
          .isEqualTo(1);
    }
  }
}
