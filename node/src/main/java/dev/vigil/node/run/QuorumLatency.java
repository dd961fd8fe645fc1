package dev.vigil.node.run;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.node.metrics.NodeMetrics;
import dev.vigil.signing.Digest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Time from this node's observation of a message to the attestation it holds for it, into the
 * quorum latency histogram. Bounded: the oldest observations are forgotten first.
 */
final class QuorumLatency {
  private final NodeMetrics metrics;
  private final Map<Digest, Long> observedAt;

  QuorumLatency(NodeMetrics metrics, int capacity) {
    this.metrics = metrics;
    this.observedAt =
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Digest, Long> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized void observed(Digest digest) {
    observedAt.putIfAbsent(digest, System.nanoTime());
  }

  void attested(Attestation a) {
    Long t;
    synchronized (this) {
      t = observedAt.remove(a.digest());
    }
    if (t != null) metrics.quorumLatency(Duration.ofNanos(System.nanoTime() - t));
  }
}
