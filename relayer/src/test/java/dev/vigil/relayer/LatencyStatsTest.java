package dev.vigil.relayer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {
  @Test
  void summarisesAllAndTakesPercentilesOfTheRecentWindow() {
    LatencyStats s = new LatencyStats(10);
    assertThat(s.snapshot()).isEqualTo(RelayerSnapshot.Latency.NONE);
    s.record(Duration.ofSeconds(100)); // falls out of the window below, stays in max and mean
    for (int i = 1; i <= 10; i++) s.record(Duration.ofMillis(i));
    RelayerSnapshot.Latency l = s.snapshot();
    assertThat(l.count()).isEqualTo(11);
    assertThat(l.max()).isEqualTo(Duration.ofSeconds(100));
    assertThat(l.mean()).isEqualTo(Duration.ofNanos((100_000_000_000L + 55_000_000L) / 11));
    assertThat(l.p50()).isEqualTo(Duration.ofMillis(5));
    assertThat(l.p99()).isEqualTo(Duration.ofMillis(10));
  }
}
