package dev.vigil.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.node.metrics.NodeMetrics.Participation;
import java.time.Duration;
import org.assertj.core.data.Offset;

/**
 * A fixed set of increments and what a scrape must show after them (used here and by the HTTP
 * tests).
 */
public final class SampleActivity {
  private SampleActivity() {}

  /**
   * What a node increments during a short run; {@link #assertScraped} checks the scrape shows
   * exactly that.
   */
  public static void record(NodeMetrics m) {
    for (int i = 0; i < 3; i++) m.observation(2);
    m.observation(5);
    m.signaturesSent(5);
    m.signaturesReceived(12);
    m.signatureInvalid("not_member");
    m.signatureInvalid("not_member");
    m.signatureInvalid("bad_signature");
    for (int i = 0; i < 4; i++) m.attestation(2, true);
    m.attestation(2, false);
    m.quorumLatency(Duration.ofMillis(30));
    m.quorumLatency(Duration.ofMillis(200));
    m.quorumLatency(Duration.ofSeconds(3));
    m.rpcError(2);
    m.rpcError(2);
    m.chainHeight(2, 1234);
    for (int i = 0; i < 3; i++) m.participation(1, Participation.SIGNED);
    m.participation(2, Participation.LATE);
    m.participation(3, Participation.MISSING);
    m.participation(3, Participation.MISSING);
  }

  public static void assertScraped(PrometheusText.Exposition e) {
    assertThat(e.value("vigil_observations_total{chain=\"2\"}")).isEqualTo(3);
    assertThat(e.value("vigil_observations_total{chain=\"5\"}")).isEqualTo(1);
    assertThat(e.value("vigil_signatures_sent_total")).isEqualTo(5);
    assertThat(e.value("vigil_signatures_received_total")).isEqualTo(12);
    assertThat(e.value("vigil_signatures_invalid_total{reason=\"not_member\"}")).isEqualTo(2);
    assertThat(e.value("vigil_signatures_invalid_total{reason=\"bad_signature\"}")).isEqualTo(1);
    assertThat(e.value("vigil_attestations_total{chain=\"2\",origin=\"local\"}")).isEqualTo(4);
    assertThat(e.value("vigil_attestations_total{chain=\"2\",origin=\"peer\"}")).isEqualTo(1);
    assertThat(e.types()).containsEntry("vigil_quorum_latency_seconds", "histogram");
    assertThat(e.value("vigil_quorum_latency_seconds_bucket{le=\"0.025\"}")).isEqualTo(0);
    assertThat(e.value("vigil_quorum_latency_seconds_bucket{le=\"0.05\"}")).isEqualTo(1);
    assertThat(e.value("vigil_quorum_latency_seconds_bucket{le=\"0.25\"}")).isEqualTo(2);
    assertThat(e.value("vigil_quorum_latency_seconds_bucket{le=\"2.5\"}")).isEqualTo(2);
    assertThat(e.value("vigil_quorum_latency_seconds_bucket{le=\"5.0\"}")).isEqualTo(3);
    assertThat(e.value("vigil_quorum_latency_seconds_count")).isEqualTo(3);
    assertThat(e.value("vigil_quorum_latency_seconds_sum")).isCloseTo(3.23, Offset.offset(1e-9));
    assertThat(e.value("vigil_rpc_errors_total{chain=\"2\"}")).isEqualTo(2);
    assertThat(e.value("vigil_chain_height{chain=\"2\"}")).isEqualTo(1234);
    assertThat(e.value("vigil_member_participation_total{member=\"1\",outcome=\"signed\"}"))
        .isEqualTo(3);
    assertThat(e.value("vigil_member_participation_total{member=\"2\",outcome=\"late\"}"))
        .isEqualTo(1);
    assertThat(e.value("vigil_member_participation_total{member=\"3\",outcome=\"missing\"}"))
        .isEqualTo(2);
  }
}
