package dev.vigil.relayer;

import java.time.Duration;
import java.util.Arrays;

/** Count, mean and max of all latencies, percentiles of the most recent {@code window}. */
final class LatencyStats {
  private final long[] recent;
  private int next;
  private int filled;
  private long count;
  private long sumNanos;
  private long maxNanos;

  LatencyStats(int window) {
    recent = new long[window];
  }

  synchronized void record(Duration latency) {
    long n = Math.max(0, latency.toNanos());
    count++;
    sumNanos += n;
    maxNanos = Math.max(maxNanos, n);
    recent[next] = n;
    next = (next + 1) % recent.length;
    filled = Math.min(filled + 1, recent.length);
  }

  synchronized RelayerSnapshot.Latency snapshot() {
    if (count == 0) return RelayerSnapshot.Latency.NONE;
    long[] sorted = Arrays.copyOf(recent, filled);
    Arrays.sort(sorted);
    return new RelayerSnapshot.Latency(
        count,
        Duration.ofNanos(sumNanos / count),
        Duration.ofNanos(maxNanos),
        Duration.ofNanos(percentile(sorted, 0.50)),
        Duration.ofNanos(percentile(sorted, 0.99)));
  }

  /** Nearest-rank percentile of a sorted, non-empty array. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }
}
