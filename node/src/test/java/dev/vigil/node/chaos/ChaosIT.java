package dev.vigil.node.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One short, seeded chaos scenario on four guardians: a guardian SIGKILLed and restarted, one
 * frozen and thawed, a flaky RPC endpoint, one guardian cut off from the others by a network
 * partition, a 2|2 split, and two guardians (f+1) down at once. Every invariant must hold: nothing
 * invalid or conflicting is ever served, nothing is attested without a quorum, the other three
 * attest while one is cut off, everything published is attested by every guardian and executed
 * exactly once after the faults, every guardian sees every peer again after each heal, and what a
 * guardian served before a SIGKILL it still serves after.
 */
class ChaosIT {
  @TempDir
  Path dir;

  @Test
  void everyInvariantHoldsThroughKillsFreezesFlakyRpcPartitionsAndAQuorumLoss() {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Chaos.Report r = Chaos.run(new Chaos.Options(4, Duration.ofSeconds(150), 7, 2, Duration.ofSeconds(90), dir, out));

    assertThat(r.faults()).as("fault kinds injected").containsOnlyKeys(Chaos.FaultKind.values());
    assertThat(r.published()).as("messages published").isGreaterThan(150);
    assertThat(r.faultLog()).as("partitions cut").anyMatch(l -> l.contains("cut off")).anyMatch(l -> l.contains("split"));
    assertThat(r.invariants()).as(r.table()).allSatisfy(i -> assertThat(i.pass()).as(i.name() + ": " + i.detail()).isTrue());
    assertThat(r.attested()).isEqualTo(r.published());
    assertThat(r.delivered()).isEqualTo(r.published());
  }
}
