package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Checks the report's shape only; figures are for people to read, never asserted. */
class FrostBenchmarkTest {
  @Test
  void reportHasARowPerBackendAndThreshold() {
    String report = FrostBenchmark.run(2, 2);
    for (String backend : new String[] {"bouncycastle", "native"}) {
      for (String tn : new String[] {"3-of-4", "5-of-7"}) {
        assertThat(report)
            .containsPattern(
                "(?m)^" + backend + " +" + tn + " +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+$");
      }
    }
  }

  @Test
  void rejectsZeroSessions() {
    assertThatThrownBy(() -> FrostBenchmark.run(0)).hasMessageContaining("at least 1, got 0");
  }
}
