package dev.vigil.consensus.aggregation;

import java.time.Duration;

/**
 * Limits and timings of the aggregation state machine.
 *
 * @param maxUnseenPerPeer how many messages a peer may hold signatures for that this node has not
 *     observed itself; further ones are dropped (a Byzantine member cannot grow our memory)
 * @param giveUpAfter after this long without quorum a message is given up (own observations are
 *     then removed from the pending store; signatures for unseen digests are forgotten)
 * @param retryInitial first retransmission delay after the own signature went out
 * @param retryMax cap of the exponential backoff
 * @param retryJitter relative jitter in [0, 1): each delay is scaled by a factor in [1 - j, 1 + j]
 * @param recentAttestations how many completed attestations are kept in memory to answer late
 *     peers without a store read
 * @param resendInterval least time between two unsolicited attestation replies to one peer for
 *     one message (a retransmitting peer gets at most one reply per interval)
 * @param attestationSendDelay after quorum, peers whose signature has not come by then are sent the
 *     attestation (those that signed in time reach quorum by themselves)
 */
public record AggregatorConfig(
    int maxUnseenPerPeer,
    Duration giveUpAfter,
    Duration retryInitial,
    Duration retryMax,
    double retryJitter,
    int recentAttestations,
    Duration resendInterval,
    Duration attestationSendDelay) {

  public AggregatorConfig {
    if (maxUnseenPerPeer < 1) throw new IllegalArgumentException("max-unseen-per-peer must be >= 1, got " + maxUnseenPerPeer);
    positive("give-up-after", giveUpAfter);
    positive("retry-initial", retryInitial);
    positive("retry-max", retryMax);
    if (retryMax.compareTo(retryInitial) < 0) {
      throw new IllegalArgumentException("retry-max (" + retryMax + ") must be >= retry-initial (" + retryInitial + ")");
    }
    if (!(retryJitter >= 0 && retryJitter < 1)) throw new IllegalArgumentException("retry-jitter must be in [0, 1), got " + retryJitter);
    if (recentAttestations < 1) throw new IllegalArgumentException("recent-attestations must be >= 1, got " + recentAttestations);
    positive("resend-interval", resendInterval);
    positive("attestation-send-delay", attestationSendDelay);
  }

  public static AggregatorConfig defaults() {
    return new AggregatorConfig(10_000, Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofMinutes(2), 0.2, 20_000,
        Duration.ofSeconds(5), Duration.ofSeconds(1));
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
  }
}
