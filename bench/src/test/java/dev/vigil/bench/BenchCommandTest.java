package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.cli.CommandRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  @Test
  void theSigningBenchmarkPrintsItsFiguresPerBackend() {
    CommandRun r = CommandRun.of(BenchMain.commandLine(), "--signing", "--iterations", "200");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("== signing: secp256k1 sign and recover per backend")
        .contains("sign µs/op")
        .contains("recover µs/op")
        .contains("bouncycastle");
    assertThat(r.out()).doesNotContain("== storage").doesNotContain("== consensus");
  }

  @Test
  void theStorageBenchmarkMeasuresTheGivenDirectoryAndCleansUp(@TempDir Path dir) throws Exception {
    CommandRun r =
        CommandRun.of(
            BenchMain.commandLine(),
            "--storage",
            "--dir",
            dir.toString(),
            "--seconds-per-case",
            "0.05");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("== storage: RocksDB writes and reads")
        .contains("kv put signing record, synced")
        .contains("ops/s")
        .contains(Files.getFileStore(dir).type());
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
    CommandRun bad = CommandRun.of(BenchMain.commandLine(), "--storage", "--seconds-per-case", "0");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--seconds-per-case must be more than 0");
  }

  @Test
  void listNamesEveryBenchmark() {
    CommandRun r = CommandRun.of(BenchMain.commandLine(), "--list");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines().map(l -> l.split(" ")[0]))
        .containsExactly("--signing", "--frost", "--storage", "--consensus", "--flood", "--jmh");
  }

  @Test
  void badFloodOptionsAreAUsageError() {
    CommandRun r = CommandRun.of(BenchMain.commandLine(), "--flood", "--flood-rate", "0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--flood-rate more than 0, got 2000, 1 and 0.0");
    assertThat(r.out()).doesNotContain("== flood");
  }

  @Test
  void theConsensusBenchmarkPrintsRateLatencyAndRatioForBothCommitteesAndReturns() {
    // Run in this JVM: the benchmark must return (not exit) so that the next one can run.
    CommandRun r =
        CommandRun.of(BenchMain.commandLine(), "--consensus", "--consensus-messages", "300");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("300 messages per committee")
        .contains("crypto bound/s")
        .contains("ratio");
    assertThat(
            r.out()
                .lines()
                .filter(l -> l.matches("^[47] +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+% .*")))
        .hasSize(2);

    CommandRun bad =
        CommandRun.of(BenchMain.commandLine(), "--consensus", "--consensus-messages", "0");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--consensus-messages must be at least 1, got 0");
  }

  @Test
  void badIterationsAreAUsageError() {
    CommandRun r = CommandRun.of(BenchMain.commandLine(), "--signing", "--iterations", "0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--iterations must be at least 1");
  }

  @Test
  void aFailingBenchmarkIsReportedAndTheOthersStillRun() {
    List<Benchmarks.Benchmark> registry =
        List.of(
            new Benchmarks.Benchmark(
                "broken",
                "throws",
                (s, out) -> {
                  throw new IllegalStateException("boom");
                }),
            new Benchmarks.Benchmark("fine", "works", (s, out) -> out.println("figure 42")));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int all =
        Benchmarks.run(
            new Benchmarks.Settings(Set.of(), 1, Path.of("."), Duration.ofMillis(1), false),
            registry,
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(all).isEqualTo(1);
    assertThat(out.toString())
        .contains("== broken: throws")
        .contains("== fine: works")
        .contains("figure 42");
    assertThat(err.toString())
        .contains("the broken benchmark failed: java.lang.IllegalStateException: boom");

    StringWriter selectedOut = new StringWriter();
    int selected =
        Benchmarks.run(
            new Benchmarks.Settings(Set.of("fine"), 1, Path.of("."), Duration.ofMillis(1), false),
            registry,
            new PrintWriter(selectedOut, true),
            new PrintWriter(new StringWriter()));
    assertThat(selected).isZero();
    assertThat(selectedOut.toString()).contains("figure 42").doesNotContain("== broken");
  }
}
