package dev.vigil.consensus.actor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.vigil.consensus.aggregation.AggregatorConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Typed settings of the consensus actor, read from {@code vigil.consensus} (defaults in this
 * module's reference.conf). Bad values fail at start with the key and what was expected.
 */
public record ConsensusSettings(
    AggregatorConfig aggregator,
    Duration batchDelay,
    int batchMaxSize,
    int signBatchMaxSize,
    Duration tickInterval,
    Duration heartbeatInterval,
    int verifyChunkSize,
    int verifyChunksInFlight,
    int maxReobservePerSecond,
    String serviceKey,
    String blockingDispatcher,
    String cryptoDispatcher,
    Duration participationGrace) {

  public static final String PATH = "vigil.consensus";
  public static final String BLOCKING_DISPATCHER = PATH + ".blocking-dispatcher";
  public static final String CRYPTO_DISPATCHER = PATH + ".crypto-dispatcher";

  public ConsensusSettings {
    Objects.requireNonNull(aggregator, "aggregator");
    positive("batch-delay", batchDelay);
    if (batchMaxSize < 1)
      throw new IllegalArgumentException(
          PATH + ".batch-max-size must be >= 1, got " + batchMaxSize);
    if (signBatchMaxSize < 1)
      throw new IllegalArgumentException(
          PATH + ".sign-batch-max-size must be >= 1, got " + signBatchMaxSize);
    positive("tick-interval", tickInterval);
    positive("heartbeat-interval", heartbeatInterval);
    if (maxReobservePerSecond < 1) {
      throw new IllegalArgumentException(
          PATH + ".max-reobserve-per-second must be >= 1, got " + maxReobservePerSecond);
    }
    if (verifyChunkSize < 1)
      throw new IllegalArgumentException(
          PATH + ".verify-chunk-size must be >= 1, got " + verifyChunkSize);
    if (verifyChunksInFlight < 0) {
      throw new IllegalArgumentException(
          PATH
              + ".verify-chunks-in-flight must be >= 0 (0: twice the cores), got "
              + verifyChunksInFlight);
    }
    if (serviceKey == null || serviceKey.isBlank())
      throw new IllegalArgumentException(PATH + ".service-key must not be empty");
    positive("participation-grace", participationGrace);
    if (participationGrace.compareTo(Duration.ofHours(1)) > 0)
      throw new IllegalArgumentException(
          PATH + ".participation-grace must be at most 1h, got " + participationGrace);
  }

  /** Reads {@code vigil.consensus} from a full configuration (reference.conf supplies defaults). */
  public static ConsensusSettings fromConfig(Config root) {
    Config c = root.getConfig(PATH);
    try {
      AggregatorConfig agg =
          new AggregatorConfig(
              c.getInt("max-unseen-per-peer"),
              c.getDuration("give-up-after"),
              c.getDuration("retry-initial"),
              c.getDuration("retry-max"),
              c.getDouble("retry-jitter"),
              c.getInt("recent-attestations"),
              c.getDuration("resend-interval"),
              c.getDuration("attestation-send-delay"),
              c.getBytes("max-unseen-bytes-per-peer"),
              c.getInt("invalid-signature-burst"),
              c.getDouble("invalid-signatures-per-second"));
      int batchMaxSize = c.getInt("batch-max-size");
      int maxBatchEntries = c.getInt("max-batch-entries");
      if (maxBatchEntries < 1)
        throw new IllegalArgumentException(
            "max-batch-entries must be >= 1, got " + maxBatchEntries);
      if (batchMaxSize > maxBatchEntries) {
        throw new IllegalArgumentException(
            "batch-max-size ("
                + batchMaxSize
                + ") must be <= max-batch-entries ("
                + maxBatchEntries
                + "), or peers with the same settings refuse our batches");
      }
      return new ConsensusSettings(
          agg,
          c.getDuration("batch-delay"),
          batchMaxSize,
          c.getInt("sign-batch-max-size"),
          c.getDuration("tick-interval"),
          c.getDuration("heartbeat-interval"),
          c.getInt("verify-chunk-size"),
          c.getInt("verify-chunks-in-flight"),
          c.getInt("max-reobserve-per-second"),
          c.getString("service-key"),
          BLOCKING_DISPATCHER,
          CRYPTO_DISPATCHER,
          c.getDuration("participation-grace"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException(
          "bad configuration under " + PATH + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad configuration under " + PATH + ": " + e.getMessage(), e);
    }
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero())
      throw new IllegalArgumentException(
          PATH + "." + key + " must be a positive duration, got " + d);
  }
}
