package dev.vigil.node.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One node's metrics, in a registry of its own (never the JVM-wide default, so that several nodes
 * in one test JVM do not share counters). The rest of the node calls the increment methods; the
 * HTTP API serves {@link #scrape()} at {@code /metrics} in the Prometheus text format.
 *
 * <p>Labels stay small and bounded: a chain id, a member's signer index (at most 255), an outcome
 * from a fixed set. Every method is thread-safe and cheap (no locks on the hot path).
 */
public final class NodeMetrics {
  /** What a committee member did for a message this node saw attested. */
  public enum Participation {
    /** Its valid signature arrived before quorum. */
    SIGNED,
    /** Its signature arrived after quorum (not needed, but it did sign). */
    LATE,
    /** No signature from it by the time the message was settled. */
    MISSING;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Text format 0.0.4, which every Prometheus server scrapes. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  /** Quorum latencies span a local devnet (ms) to a congested committee (tens of seconds). */
  private static final double[] LATENCY_BOUNDS = {
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 10, 30,
    60, 120
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  private final Counter observations;
  private final Counter signaturesSent;
  private final Counter signaturesReceived;
  private final Counter signaturesInvalid;
  private final Counter attestations;
  private final Histogram quorumLatency;
  private final Counter rpcErrors;
  private final Counter oversizedPayloads;
  private final Counter rereadsShed;
  private final Gauge chainHeight;
  private final Gauge chainBlock;
  private final Gauge chainLastSuccess;
  private final Gauge peersConnected;
  private final Gauge committeeMembers;
  private final Gauge committeeQuorum;
  private final Gauge pending;
  private final Counter batchesUnauthenticated;
  private final Counter participation;
  private final Gauge streamSubscribers;
  private final Counter streamDropped;
  private final Gauge storageWritable;
  private final Counter storageWriteFailures;
  private final Counter storageRecoveries;

  public NodeMetrics() {
    observations =
        Counter.builder()
            .name("vigil_observations")
            .help("Final observations handed to consensus, by source chain")
            .labelNames("chain")
            .register(registry);
    signaturesSent =
        Counter.builder()
            .name("vigil_signatures_sent")
            .help("Own signatures sent to peers (each signature counted once, however many peers)")
            .register(registry);
    signaturesReceived =
        Counter.builder()
            .name("vigil_signatures_received")
            .help("Peers' signatures received")
            .register(registry);
    signaturesInvalid =
        Counter.builder()
            .name("vigil_signatures_invalid")
            .help("Peers' signatures dropped as invalid, by reason")
            .labelNames("reason")
            .register(registry);
    attestations =
        Counter.builder()
            .name("vigil_attestations")
            .help(
                "Attestations this node holds, by emitter chain and origin (local quorum or received from a peer)")
            .labelNames("chain", "origin")
            .register(registry);
    quorumLatency =
        Histogram.builder()
            .name("vigil_quorum_latency_seconds")
            .help("Time from the local observation of a message to its quorum")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(LATENCY_BOUNDS)
            .register(registry);
    rpcErrors =
        Counter.builder()
            .name("vigil_rpc_errors")
            .help("Failed JSON-RPC calls to a chain's node, by chain")
            .labelNames("chain")
            .register(registry);
    oversizedPayloads =
        Counter.builder()
            .name("vigil_observer_oversized_payloads")
            .help(
                "Messages not signed because their payload was larger than the chain's"
                    + " max-payload-bytes, by chain")
            .labelNames("chain")
            .register(registry);
    rereadsShed =
        Counter.builder()
            .name("vigil_observer_rereads_shed")
            .help(
                "Peers' re-read requests not served because the chain's re-read queue was full,"
                    + " by chain")
            .labelNames("chain")
            .register(registry);
    chainHeight =
        Gauge.builder()
            .name("vigil_chain_height")
            .help("Last block processed by the chain's observer")
            .labelNames("chain")
            .register(registry);
    chainBlock =
        Gauge.builder()
            .name("vigil_chain_block_number")
            .help(
                "The chain's latest, safe and finalized block as its RPC endpoint last reported"
                    + " them (block = head|safe|finalized; -1 when the chain has no such tag)")
            .labelNames("chain", "block")
            .register(registry);
    chainLastSuccess =
        Gauge.builder()
            .name("vigil_chain_last_success_timestamp_seconds")
            .help(
                "When the chain's observer last read from an RPC endpoint successfully (Unix time)")
            .labelNames("chain")
            .register(registry);
    peersConnected =
        Gauge.builder()
            .name("vigil_peers_connected")
            .help("Other committee members this guardian reaches now")
            .register(registry);
    committeeMembers =
        Gauge.builder()
            .name("vigil_committee_members")
            .help("Members of the committee this guardian is in, itself included")
            .register(registry);
    committeeQuorum =
        Gauge.builder()
            .name("vigil_committee_quorum")
            .help("Signatures an attestation needs")
            .register(registry);
    pending =
        Gauge.builder()
            .name("vigil_pending_messages")
            .help(
                "Messages without quorum yet: observed here (state=observed) or known only from"
                    + " peers' signatures (state=unseen)")
            .labelNames("state")
            .register(registry);
    batchesUnauthenticated =
        Counter.builder()
            .name("vigil_batches_unauthenticated")
            .help(
                "Batches of signatures dropped whole because their signature is not the member's"
                    + " they name (charged to no member)")
            .register(registry);
    participation =
        Counter.builder()
            .name("vigil_member_participation")
            .help("Per committee member: messages it signed in time, signed late, or did not sign")
            .labelNames("member", "outcome")
            .register(registry);
    streamSubscribers =
        Gauge.builder()
            .name("vigil_http_stream_subscribers")
            .help("Open attestation streams (server-sent events)")
            .register(registry);
    streamDropped =
        Counter.builder()
            .name("vigil_http_stream_dropped")
            .help("Attestation stream subscribers dropped because they read too slowly")
            .register(registry);
    storageWritable =
        Gauge.builder()
            .name("vigil_storage_writable")
            .help(
                "1 while the data dir takes writes, 0 while writes fail (disk full, read-only, I/O error)")
            .register(registry);
    storageWritable.set(1);
    storageWriteFailures =
        Counter.builder()
            .name("vigil_storage_write_failures")
            .help(
                "Database writes that failed or were refused because the data dir does not take writes")
            .register(registry);
    storageRecoveries =
        Counter.builder()
            .name("vigil_storage_recoveries")
            .help(
                "Times the database resumed writing by itself after the data dir took writes again")
            .register(registry);
  }

  /** Called every few seconds with the database's write health (counters as deltas). */
  public void storage(boolean writable, long newFailures, long newRecoveries) {
    storageWritable.set(writable ? 1 : 0);
    if (newFailures > 0) storageWriteFailures.inc(newFailures);
    if (newRecoveries > 0) storageRecoveries.inc(newRecoveries);
  }

  public void observation(int chain) {
    observations.labelValues(chain(chain)).inc();
  }

  public void signaturesSent(long n) {
    signaturesSent.inc(n);
  }

  public void signaturesReceived(long n) {
    signaturesReceived.inc(n);
  }

  /**
   * {@code reason}: one of a small fixed set, e.g. "not_member", "bad_signature",
   * "wrong_committee".
   */
  public void signatureInvalid(String reason) {
    signaturesInvalid.labelValues(Objects.requireNonNull(reason, "reason")).inc();
  }

  /** {@code local}: formed here from a quorum, or else received whole from a peer. */
  public void attestation(int emitterChain, boolean local) {
    attestations.labelValues(chain(emitterChain), local ? "local" : "peer").inc();
  }

  public void quorumLatency(Duration latency) {
    quorumLatency.observe(latency.toNanos() / 1e9);
  }

  public void rpcError(int chain) {
    rpcErrors.labelValues(chain(chain)).inc();
  }

  public void oversizedPayloads(int chain, long count) {
    oversizedPayloads.labelValues(chain(chain)).inc(count);
  }

  public void rereadsShed(int chain, long count) {
    rereadsShed.labelValues(chain(chain)).inc(count);
  }

  /** The chain's head, safe and finalized blocks as last reported, and the last good read. */
  public void chainBlocks(int chain, long head, long safe, long finalized, long lastSuccessMillis) {
    chainBlock.labelValues(chain(chain), "head").set(head);
    chainBlock.labelValues(chain(chain), "safe").set(safe);
    chainBlock.labelValues(chain(chain), "finalized").set(finalized);
    if (lastSuccessMillis > 0)
      chainLastSuccess.labelValues(chain(chain)).set(lastSuccessMillis / 1000.0);
  }

  /** The committee as this guardian sees it now. */
  public void committee(int members, int quorum, int peersReachable) {
    committeeMembers.set(members);
    committeeQuorum.set(quorum);
    peersConnected.set(peersReachable);
  }

  public void pending(long observed, long unseen) {
    pending.labelValues("observed").set(observed);
    pending.labelValues("unseen").set(unseen);
  }

  public void batchesUnauthenticated(long n) {
    batchesUnauthenticated.inc(n);
  }

  public void chainHeight(int chain, long height) {
    chainHeight.labelValues(chain(chain)).set(height);
  }

  public void participation(int member, Participation outcome) {
    if (member < 0 || member > 254) {
      throw new IllegalArgumentException("member must be a signer index 0..254, got " + member);
    }
    participation.labelValues(Integer.toString(member), outcome.label()).inc();
  }

  /** Called by the HTTP API's stream. */
  public void streamOpened() {
    streamSubscribers.inc();
  }

  public void streamClosed() {
    streamSubscribers.dec();
  }

  public void streamDropped() {
    streamDropped.inc();
  }

  /** Every metric in the Prometheus text format ({@link #CONTENT_TYPE}). */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException("writing metrics to memory failed", e);
    }
    return out.toByteArray();
  }

  private static String chain(int chain) {
    if (chain < 0 || chain > 0xFFFF)
      throw new IllegalArgumentException("chain must be a u16 (0..65535), got " + chain);
    return Integer.toString(chain);
  }
}
