package dev.vigil.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.node.metrics.NodeMetrics.Participation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {

  @Test
  void scrapeIsValidPrometheusTextWithWhatWasRecorded() {
    NodeMetrics m = new NodeMetrics();
    SampleActivity.record(m);
    SampleActivity.assertScraped(
        PrometheusText.parse(new String(m.scrape(), StandardCharsets.UTF_8)));
    assertThat(NodeMetrics.CONTENT_TYPE).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
  }

  @Test
  void eachNodeHasItsOwnRegistry() {
    NodeMetrics a = new NodeMetrics();
    NodeMetrics b = new NodeMetrics();
    a.signaturesSent(7);
    assertThat(
            PrometheusText.parse(new String(a.scrape(), StandardCharsets.UTF_8))
                .value("vigil_signatures_sent_total"))
        .isEqualTo(7);
    assertThat(
            PrometheusText.parse(new String(b.scrape(), StandardCharsets.UTF_8))
                .value("vigil_signatures_sent_total"))
        .isZero();
  }

  @Test
  void labelsOutsideTheirRangeAreRefusedNamingTheValue() {
    NodeMetrics m = new NodeMetrics();
    assertThatThrownBy(() -> m.observation(65536))
        .hasMessage("chain must be a u16 (0..65535), got 65536");
    assertThatThrownBy(() -> m.rpcError(-1)).hasMessage("chain must be a u16 (0..65535), got -1");
    assertThatThrownBy(() -> m.participation(255, Participation.SIGNED))
        .hasMessage("member must be a signer index 0..254, got 255");
  }

  @Test
  void theReaderRejectsWhatIsNotTheFormat() {
    // the reader itself must be able to fail, or the tests above prove nothing
    assertThatThrownBy(() -> PrometheusText.parse("foo 1\n")).hasMessageContaining("no TYPE line");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE foo counter\nfoo_total{a=b} 1\n"))
        .hasMessageContaining("bad labels");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE foo gauge\nfoo one\n"))
        .hasMessageContaining("bad value");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE foo gauge\nfoo\n"))
        .hasMessageContaining("not a sample");
    assertThatThrownBy(
            () ->
                PrometheusText.parse(
                    "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n"))
        .hasMessageContaining("not cumulative");
    assertThatThrownBy(
            () -> PrometheusText.parse("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\n"))
        .hasMessageContaining("+Inf bucket");
  }
}
