package dev.vigil.devnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.devnet.chaos.FaultKind;
import dev.vigil.devnet.chaos.Report;
import dev.vigil.devnet.chaos.Report.Invariant;
import dev.vigil.devnet.chaos.Report.Outcome;
import dev.vigil.testing.cli.CommandRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad options are refused with a usage error that names the option, before anything is started; a
 * run's verdict tells an invariant failure (1) from a run that could not exercise one (3).
 */
class ChaosCommandTest {
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--nodes, 3, --nodes must be at least 4",
    "--duration, 10s, --duration must be at least 30s",
    "--duration, soon, --duration: expected a number with s, m or h",
    "--settle, later, --settle: expected a number with s, m or h",
    "--settle, 0s, --settle must be positive",
    "--rate, 0, --rate must be in (0, 100]",
    "--disk-size, 16, --disk-size must be 0 (off) or >= 32 MiB",
    "--disk-size, -1, --disk-size must be 0 (off) or >= 32 MiB",
  })
  void refusesABadOption(String option, String value, String message) {
    CommandRun r = CommandRun.of(DevnetTools.commandLine(), "chaos", option, value);
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains(message);
  }

  @Test
  void aRunThatCouldNotExerciseAnInvariantIsAHarnessErrorWithItsOwnExitCodeAndVerdict() {
    ChaosCommand.Verdict v =
        ChaosCommand.verdict(report(Outcome.PASS, Outcome.NOT_EXERCISED), 42, Path.of("/w"));

    assertThat(v.exitCode()).isEqualTo(3);
    assertThat(v.line())
        .isEqualTo(
            "HARNESS ERROR: the run did not exercise stall (f+1 down); no invariant failed, the run proved too"
                + " little (seed 42, logs in /w/logs)");
  }

  @Test
  void anInvariantFailureIsAFailureEvenWhenAnotherWasNotExercised() {
    ChaosCommand.Verdict v =
        ChaosCommand.verdict(report(Outcome.FAIL, Outcome.NOT_EXERCISED), 42, Path.of("/w"));

    assertThat(v.exitCode()).isEqualTo(1);
    assertThat(v.line()).isEqualTo("FAILED: an invariant failed (seed 42, logs in /w/logs)");
  }

  @Test
  void aRunWhereEveryInvariantHeldIsOk() {
    ChaosCommand.Verdict v =
        ChaosCommand.verdict(report(Outcome.PASS, Outcome.PASS), 42, Path.of("/w"));

    assertThat(v.exitCode()).isZero();
    assertThat(v.line()).isEqualTo("OK: every invariant held (seed 42)");
  }

  private static Report report(Outcome safety, Outcome stall) {
    return new Report(
        42,
        4,
        Map.of(FaultKind.KILL, 1),
        10,
        10,
        10,
        Duration.ZERO,
        Duration.ZERO,
        Duration.ZERO,
        List.of(new Invariant("safety", safety, ""), new Invariant("stall (f+1 down)", stall, "")),
        List.of());
  }
}
