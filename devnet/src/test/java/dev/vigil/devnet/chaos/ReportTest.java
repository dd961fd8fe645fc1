package dev.vigil.devnet.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.devnet.chaos.Report.Invariant;
import dev.vigil.devnet.chaos.Report.Outcome;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.MessageId;
import dev.vigil.testing.process.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stall phase's messages decide its invariant: any attested fails it, too few to show the stall
 * make it a harness error (never a pass, never an invariant failure), and the summary says which.
 */
class ReportTest {
  @ParameterizedTest(name = "{0} published, {1} attested: {2}")
  @CsvSource({
    "0, 0, NOT_EXERCISED",
    "2, 0, NOT_EXERCISED",
    "3, 0, PASS",
    "40, 0, PASS",
    "1, 1, FAIL",
    "40, 1, FAIL",
  })
  void aStallIsJudgedOnlyWhenEnoughMessagesFellInIt(int published, int attested, Outcome expected) {
    List<MessageId> ids =
        IntStream.range(0, published).mapToObj(i -> new MessageId(1, Bytes32.ZERO, i)).toList();
    Invariant i =
        Findings.stall(
            "stall (f+1 down)",
            new PhaseWindow.Messages(ids, 0),
            attested,
            "while 2 guardians were down");

    assertThat(i.outcome()).isEqualTo(expected);
    assertThat(i.detail())
        .startsWith(
            published
                + " messages published while 2 guardians were down, "
                + attested
                + " attested before the restart");
    if (published == 0) assertThat(i.detail()).contains("(none published: stall not shown)");
  }

  @Test
  void anUnexercisedInvariantIsAHarnessErrorNotAPassNorAFailure() {
    Report r =
        report(
            new Invariant("safety", Outcome.PASS, "fine"),
            new Invariant(
                "stall (f+1 down)",
                Outcome.NOT_EXERCISED,
                "0 messages published while 2 guardians were down"));

    assertThat(r.allPass()).isFalse();
    assertThat(r.anyFailed()).isFalse();
    assertThat(r.notExercised()).extracting(Invariant::name).containsExactly("stall (f+1 down)");
    assertThat(r.table())
        .contains("invariant stall (f+1 down)   NOT EXERCISED (harness error)  0 messages")
        .contains("invariant safety             PASS  fine");
  }

  @Test
  void aFailedInvariantIsAFailureEvenBesideAnUnexercisedOne() {
    Report r =
        report(
            new Invariant("safety", Outcome.FAIL, "2 invalid"),
            new Invariant("stall (split)", Outcome.NOT_EXERCISED, "none"));

    assertThat(r.anyFailed()).isTrue();
    assertThat(r.table()).contains("invariant safety             FAIL  2 invalid");
  }

  @Test
  void aGuardianThatExitedByItselfOrIsNotReadyAtTheEndFailsGuardiansUp() {
    var exit = new NodeProcess.Exit("guardian-2", 42, 1, Path.of("g2.log"), "boom");

    assertThat(Invariants.stayedUp(List.of(), null).pass()).isTrue();
    assertThat(Invariants.stayedUp(List.of(exit), null))
        .satisfies(
            i -> {
              assertThat(i.pass()).isFalse();
              assertThat(i.detail()).isEqualTo("guardian-2 exited by itself with exit code 1");
            });
    assertThat(
            Invariants.stayedUp(
                    List.of(), "guardian 1 exited at start (exit code 1); last lines ...\nboom")
                .detail())
        .isEqualTo("guardian 1 exited at start (exit code 1); last lines ...");
  }

  private static Report report(Invariant... invariants) {
    return new Report(
        7,
        4,
        Map.of(FaultKind.KILL, 1),
        10,
        10,
        10,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(3),
        List.of(invariants),
        List.of());
  }
}
