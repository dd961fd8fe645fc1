package dev.vigil.relayer;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the n-th delay is drawn from [d/2, d] with d = min(max, initial
 * * 2^(n-1)).
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final RandomGenerator random;
  private int failures;

  Backoff(Duration initial, Duration max, RandomGenerator random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The delay after one more failure. */
  Duration next() {
    failures++;
    return delay(initial, max, failures, random);
  }

  void reset() {
    failures = 0;
  }

  int failures() {
    return failures;
  }

  /**
   * The delay after {@code failures} failures (1 = the first). Jitter keeps many clients that
   * failed together (a node restart) from coming back in lockstep.
   */
  static Duration delay(Duration initial, Duration max, int failures, RandomGenerator random) {
    long ceiling = max.toNanos();
    long d = initial.toNanos();
    for (int i = 1; i < failures && d < ceiling; i++) d = d > ceiling / 2 ? ceiling : d * 2;
    d = Math.min(d, ceiling);
    long half = d / 2;
    return Duration.ofNanos(half + (d - half > 0 ? random.nextLong(d - half + 1) : 0));
  }
}
