package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Checks the report's shape only; figures are for people to read, never asserted. */
class SigningBenchmarkTest {
  @Test
  void reportHasARowPerBackendAndTheRatio() {
    String report = SigningBenchmark.run(5, 5);
    assertThat(report).containsPattern("(?m)^bouncycastle +[0-9.]+ +[0-9]+ +[0-9.]+ +[0-9]+$");
    assertThat(report).containsPattern("(?m)^native +[0-9.]+ +[0-9]+ +[0-9.]+ +[0-9]+$");
    assertThat(report).contains("native vs bouncycastle: sign");
  }

  @Test
  void rejectsZeroIterations() {
    assertThatThrownBy(() -> SigningBenchmark.run(0)).hasMessageContaining("at least 1, got 0");
  }
}
