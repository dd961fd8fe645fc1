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
 * @param recentAttestations how many completed attestations are kept in memory to answer late peers
 *     without a store read
 * @param resendInterval least time between two unsolicited attestation replies to one peer for one
 *     message (a retransmitting peer gets at most one reply per interval)
 * @param attestationSendDelay after quorum, peers whose signature has not come by then are sent the
 *     attestation (those that signed in time reach quorum by themselves)
 * @param maxUnseenBytesPerPeer how many body bytes a peer may have held (or being checked) for
 *     messages this node has not observed; with {@code maxUnseenPerPeer} it bounds what one peer
 *     can make us keep, however large the bodies it signs
 * @param invalidBurst how many of a signer's signatures may turn out invalid in a burst before it
 *     is suspect: while suspect, its signatures for messages not observed here are dropped
 *     unchecked, and those for observed messages are checked after everyone else's
 * @param invalidPerSecond the sustained rate of invalid signatures a signer's budget takes back; a
 *     suspect signer is cleared once its budget is full again (no invalid signature for {@code
 *     invalidBurst / invalidPerSecond} seconds)
 */
public record AggregatorConfig(
    int maxUnseenPerPeer,
    Duration giveUpAfter,
    Duration retryInitial,
    Duration retryMax,
    double retryJitter,
    int recentAttestations,
    Duration resendInterval,
    Duration attestationSendDelay,
    long maxUnseenBytesPerPeer,
    int invalidBurst,
    double invalidPerSecond) {

  public static final long DEFAULT_MAX_UNSEEN_BYTES_PER_PEER = 32L << 20;
  public static final int DEFAULT_INVALID_BURST = 100;
  public static final double DEFAULT_INVALID_PER_SECOND = 10;

  /** With the default unseen-bytes cap and invalid-signature budget. */
  public AggregatorConfig(
      int maxUnseenPerPeer,
      Duration giveUpAfter,
      Duration retryInitial,
      Duration retryMax,
      double retryJitter,
      int recentAttestations,
      Duration resendInterval,
      Duration attestationSendDelay) {
    this(
        maxUnseenPerPeer,
        giveUpAfter,
        retryInitial,
        retryMax,
        retryJitter,
        recentAttestations,
        resendInterval,
        attestationSendDelay,
        DEFAULT_MAX_UNSEEN_BYTES_PER_PEER,
        DEFAULT_INVALID_BURST,
        DEFAULT_INVALID_PER_SECOND);
  }

  public AggregatorConfig {
    if (maxUnseenPerPeer < 1)
      throw new IllegalArgumentException(
          "max-unseen-per-peer must be >= 1, got " + maxUnseenPerPeer);
    positive("give-up-after", giveUpAfter);
    positive("retry-initial", retryInitial);
    positive("retry-max", retryMax);
    if (retryMax.compareTo(retryInitial) < 0) {
      throw new IllegalArgumentException(
          "retry-max (" + retryMax + ") must be >= retry-initial (" + retryInitial + ")");
    }
    if (!(retryJitter >= 0 && retryJitter < 1))
      throw new IllegalArgumentException("retry-jitter must be in [0, 1), got " + retryJitter);
    if (recentAttestations < 1)
      throw new IllegalArgumentException(
          "recent-attestations must be >= 1, got " + recentAttestations);
    positive("resend-interval", resendInterval);
    positive("attestation-send-delay", attestationSendDelay);
    if (maxUnseenBytesPerPeer < 1) {
      throw new IllegalArgumentException(
          "max-unseen-bytes-per-peer must be >= 1, got " + maxUnseenBytesPerPeer);
    }
    if (invalidBurst < 1)
      throw new IllegalArgumentException(
          "invalid-signature-burst must be >= 1, got " + invalidBurst);
    if (!(invalidPerSecond > 0) || Double.isInfinite(invalidPerSecond)) {
      throw new IllegalArgumentException(
          "invalid-signatures-per-second must be a positive number, got " + invalidPerSecond);
    }
  }

  public static AggregatorConfig defaults() {
    return new AggregatorConfig(
        10_000,
        Duration.ofHours(1),
        Duration.ofSeconds(5),
        Duration.ofMinutes(2),
        0.2,
        20_000,
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        DEFAULT_MAX_UNSEEN_BYTES_PER_PEER,
        DEFAULT_INVALID_BURST,
        DEFAULT_INVALID_PER_SECOND);
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero())
      throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
  }
}
