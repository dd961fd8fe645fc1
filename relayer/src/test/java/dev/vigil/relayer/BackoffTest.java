package dev.vigil.relayer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  @ParameterizedTest(name = "initial {0} ms, max {1} ms, failure {2}: {3}..{4} ms")
  @CsvSource({
    "100, 10000, 1, 50, 100",
    "100, 10000, 2, 100, 200",
    "100, 10000, 4, 400, 800",
    "100, 10000, 8, 5000, 10000", // capped
    "100, 10000, 1000, 5000, 10000", // no overflow however many failures
    "250, 250, 5, 125, 250",
  })
  void delayDoublesWithJitterUpToTheCap(long initial, long max, int failures, long low, long high) {
    Random random = new Random(1);
    for (int i = 0; i < 200; i++) {
      Duration d =
          Backoff.delay(Duration.ofMillis(initial), Duration.ofMillis(max), failures, random);
      assertThat(d).isBetween(Duration.ofMillis(low), Duration.ofMillis(high));
    }
  }

  @Test
  void jitterSpreadsClientsThatFailedTogether() {
    Random random = new Random(2);
    long distinct =
        java.util.stream.IntStream.range(0, 50)
            .mapToObj(i -> Backoff.delay(Duration.ofSeconds(1), Duration.ofSeconds(10), 3, random))
            .distinct()
            .count();
    assertThat(distinct).isGreaterThan(40);
  }

  @Test
  void resetStartsOverFromTheShortestDelay() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(3));
    for (int i = 0; i < 6; i++) b.next();
    assertThat(b.failures()).isEqualTo(6);
    b.reset();
    assertThat(b.next()).isLessThanOrEqualTo(Duration.ofMillis(100));
  }
}
