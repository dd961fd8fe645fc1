package dev.vigil.relayer;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The relayer's counters at one moment. Counts are totals since start; each attestation is counted
 * once however many nodes served it.
 *
 * @param seen distinct attestations received (routed or not)
 * @param delivered executed on their destination by this relayer's transaction
 * @param alreadyExecuted found executed on their destination already (by another relayer), nothing
 *     sent
 * @param skippedNoRoute attestations of an emitter without a route (seen on the nodes' live
 *     streams)
 * @param failedAttempts delivery attempts that failed and were retried or given up (RPC errors,
 *     reverts)
 * @param gaveUp attestations not delivered before the give-up time
 * @param malformed stream events that were not a decodable attestation
 * @param inFlight accepted and not yet delivered or given up
 * @param destinations per destination, in route order
 * @param sources per followed node, in settings order
 */
public record RelayerSnapshot(
    long seen,
    long delivered,
    long alreadyExecuted,
    long skippedNoRoute,
    long failedAttempts,
    long gaveUp,
    long malformed,
    long inFlight,
    List<DestinationStats> destinations,
    List<SourceStats> sources) {
  public RelayerSnapshot {
    destinations = List.copyOf(destinations);
    sources = List.copyOf(sources);
  }

  /** Counters of one destination; {@code latency} covers its deliveries (first seen to receipt). */
  public record DestinationStats(
      String name,
      long delivered,
      long alreadyExecuted,
      long failedAttempts,
      long gaveUp,
      long inFlight,
      Latency latency) {}

  /**
   * A latency summary. Percentiles are over the most recent deliveries (a bounded window); count,
   * mean and max over all.
   */
  public record Latency(long count, Duration mean, Duration max, Duration p50, Duration p99) {
    public static final Latency NONE =
        new Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  /**
   * One followed node.
   *
   * @param node its API base URL
   * @param streamsOpen streams open to it right now (one for all attestations, one per route)
   * @param streams streams the relayer keeps to it
   * @param connects successful stream openings, reconnections included
   * @param events attestation events received from it (duplicates of other nodes' included)
   */
  public record SourceStats(URI node, int streamsOpen, int streams, long connects, long events) {
    public boolean connected() {
      return streamsOpen == streams;
    }
  }

  /**
   * e.g. {@code seen 20, delivered 18, already executed 2, no route 0, failed attempts 3, gave up
   * 0, in flight 0}.
   */
  public String summary() {
    return "seen "
        + seen
        + ", delivered "
        + delivered
        + ", already executed "
        + alreadyExecuted
        + ", no route "
        + skippedNoRoute
        + ", failed attempts "
        + failedAttempts
        + ", gave up "
        + gaveUp
        + ", in flight "
        + inFlight;
  }
}
