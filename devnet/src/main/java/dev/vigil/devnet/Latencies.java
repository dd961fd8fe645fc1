package dev.vigil.devnet;

import dev.vigil.signing.MessageId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When each message was published, first seen attested (by the relayer) and delivered, all on
 * {@link System#nanoTime()}; and the progress line built from them.
 */
final class Latencies {
  private final Map<MessageId, Long> publishedAt = new ConcurrentHashMap<>();
  private final Map<MessageId, long[]> deliveredAt =
      new ConcurrentHashMap<>(); // {attestedAtNanos, deliveredAtNanos}
  private final AtomicLong publishErrors = new AtomicLong();

  void published(MessageId id, long atNanos) {
    publishedAt.put(id, atNanos);
  }

  void publishFailed() {
    publishErrors.incrementAndGet();
  }

  void delivered(MessageId id, Duration attestToDeliver, long nowNanos) {
    deliveredAt.putIfAbsent(id, new long[] {nowNanos - attestToDeliver.toNanos(), nowNanos});
  }

  long published() {
    return publishedAt.size();
  }

  long delivered() {
    return publishedAt.keySet().stream().filter(deliveredAt::containsKey).count();
  }

  long publishErrors() {
    return publishErrors.get();
  }

  List<MessageId> publishedIds() {
    return publishedAt.keySet().stream().sorted(Comparator.comparing(MessageId::toString)).toList();
  }

  Map<MessageId, Long> publishTimes() {
    return Map.copyOf(publishedAt);
  }

  /** Publish → first sight of the attestation by the relayer, for every delivered message. */
  Map<MessageId, Duration> attestLatencies() {
    Map<MessageId, Duration> out = new HashMap<>();
    deliveredAt.forEach(
        (id, t) -> {
          Long p = publishedAt.get(id);
          if (p != null) out.put(id, Duration.ofNanos(t[0] - p));
        });
    return out;
  }

  /**
   * {@code published N (alpha→beta A, beta→alpha B) | attested+delivered D | publish→attest p50 ..
   * p99 .. | ...}
   */
  String progressLine() {
    long pub = publishedAt.size();
    long ab = publishedAt.keySet().stream().filter(m -> m.emitterChain() == Devnet.CHAIN_A).count();
    List<Double> toAttest = new ArrayList<>();
    List<Double> toDeliver = new ArrayList<>();
    deliveredAt.forEach(
        (id, t) -> {
          Long p = publishedAt.get(id);
          if (p != null) {
            toAttest.add((t[0] - p) / 1e9);
            toDeliver.add((t[1] - t[0]) / 1e9);
          }
        });
    return String.format(
        "published %d (alpha→beta %d, beta→alpha %d) | attested+delivered %d | publish→attest p50 %s p99 %s | attest→deliver p50 %s p99 %s%s",
        pub,
        ab,
        pub - ab,
        toAttest.size(),
        percentile(toAttest, 50),
        percentile(toAttest, 99),
        percentile(toDeliver, 50),
        percentile(toDeliver, 99),
        publishErrors.get() > 0 ? " | publish errors " + publishErrors.get() : "");
  }

  static String percentile(List<Double> xs, int p) {
    if (xs.isEmpty()) return "-";
    List<Double> s = xs.stream().sorted().toList();
    int idx = (int) Math.min(s.size() - 1, Math.ceil(p / 100.0 * s.size()) - 1);
    return String.format("%.2fs", s.get(Math.max(0, idx)));
  }
}
