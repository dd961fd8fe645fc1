package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.cli.CommandRun;
import org.junit.jupiter.api.Test;

class JmhBenchmarksTest {
  @Test
  void aJmhBenchmarkRunsInProcessAndItsScoreIsPrintedInJmhsTable() {
    CommandRun r =
        CommandRun.of(
            BenchMain.commandLine(),
            "--jmh",
            "--jmh-include",
            "Keccak256Jmh",
            "--jmh-forks",
            "0",
            "--jmh-warmups",
            "0",
            "--jmh-iterations",
            "1",
            "--jmh-seconds",
            "0.1");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("== jmh: JMH microbenchmarks")
        .contains(
            "0 forks, 0 warm-up and 1 measured iterations of 100 ms each; benchmarks matching 'Keccak256Jmh'");
    // JMH's table: name, mode, score, unit; only this benchmark ran
    assertThat(
            r.out()
                .lines()
                .filter(
                    l -> l.matches("Keccak256Jmh\\.hashBody +avgt +[0-9 ]*[0-9][0-9.,]* +us/op")))
        .hasSize(1);
    assertThat(r.out()).doesNotContain("Secp256k1Jmh").doesNotContain("== signing");
  }

  @Test
  void anIncludeThatMatchesNothingFailsSayingSo() {
    CommandRun r =
        CommandRun.of(
            BenchMain.commandLine(),
            "--jmh",
            "--jmh-include",
            "NoSuchBenchmark",
            "--jmh-forks",
            "0");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("the jmh benchmark failed").contains("No benchmarks to run");
    assertThat(r.out()).contains("benchmarks matching 'NoSuchBenchmark'");
  }

  @Test
  void badJmhOptionsAreAUsageError() {
    CommandRun regex = CommandRun.of(BenchMain.commandLine(), "--jmh", "--jmh-include", "Keccak(");
    assertThat(regex.exit()).isEqualTo(2);
    assertThat(regex.err()).contains("--jmh-include is not a regular expression");

    CommandRun iterations =
        CommandRun.of(BenchMain.commandLine(), "--jmh", "--jmh-iterations", "0");
    assertThat(iterations.exit()).isEqualTo(2);
    assertThat(iterations.err()).contains("--jmh-iterations at least 1");
    assertThat(iterations.out()).doesNotContain("== jmh");
  }
}
